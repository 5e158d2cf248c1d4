"""Preview workers are shared fairly between users: while alice has many slow previews
queued, bob's thumbnail is made before her queue drains (order, not time). With one
first-come queue for everybody, bob's thumbnail came after all of alice's previews."""

from __future__ import annotations

import asyncio
import hashlib
import io
import random
from typing import Any

import pytest
from PIL import Image

from parley.files.renditions import WORKERS, manifest_key
from tests.files import samples
from tests.files.support import files_runtime, ready, upload
from tests.helpers import Server, create_user, setup_admin

QUEUED = 8  # alice's previews, each a few hundred ms of work on a worker


@pytest.fixture
def backend() -> str:
    """Scheduling touches the database only to check access: one backend is enough."""
    return "sqlite"


@pytest.fixture
def storage() -> str:
    return "local"


@pytest.fixture
def file_settings() -> dict[str, Any]:
    return {"preview_wait_seconds": 0}  # a request never waits: 202 while being made


def _large_photos(count: int) -> list[bytes]:
    """1800x1350 of detail (noise tiles), so encoding a preview takes real work; each
    differs in one pixel (previews are made once per content)."""
    rng = random.Random(7)
    tile = Image.frombytes("RGB", (200, 150), rng.randbytes(200 * 150 * 3))
    img = Image.new("RGB", (1800, 1350))
    for x in range(0, 1800, 200):
        for y in range(0, 1350, 150):
            img.paste(tile, (x, y))
    photos = []
    for i in range(count):
        img.putpixel((0, 0), (i, i, i))
        buf = io.BytesIO()
        img.save(buf, "PNG", compress_level=1)
        photos.append(buf.getvalue())
    return photos


async def test_one_users_queue_does_not_hold_back_anothers_thumbnail(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    photos = _large_photos(QUEUED)
    uploaded = [await upload(alice, f"photo-{i}.png", data) for i, data in enumerate(photos)]
    # Alice opens every photo: all their previews are queued for her at once.
    for r in await asyncio.gather(*(alice.get(f"/files/{f['id']}/preview") for f in uploaded)):
        assert r.status_code in (200, 202)

    f = await upload(bob, "avatar.png", samples.png(64, 64))
    assert (await ready(bob, f"/files/{f['id']}/thumbnail")).status_code == 200

    storage = files_runtime(server).storage
    made = [
        await storage.get_bytes(manifest_key(hashlib.sha256(data).hexdigest(), "preview"))
        is not None
        for data in photos
    ]
    # Bob waited for at most one of alice's jobs per worker, not for all of them.
    assert made.count(False) >= QUEUED - 2 * WORKERS, made
    for f in uploaded:  # and alice's previews all come in the end
        assert (await ready(alice, f"/files/{f['id']}/preview", timeout=120)).status_code == 200
