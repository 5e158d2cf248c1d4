"""Uploading: type from the bytes, the same bytes stored once, limits enforced early,
nothing left behind by a rejected, empty or interrupted upload, safe names."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.files import samples
from tests.files.support import (
    BOUNDARY,
    blob_keys,
    file_rows,
    multipart,
    spooled,
    upload,
    upload_raw,
    wait_for,
)
from tests.helpers import Server, create_user, problem, setup_admin

LIMIT = 64 * 1024


@pytest.fixture
def file_settings() -> dict[str, Any]:
    return {"max_upload_bytes": LIMIT, "upload_quota_bytes": 3 * LIMIT}


async def test_type_comes_from_the_bytes_and_same_bytes_are_stored_once(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    image = samples.png()
    first = await upload(alice, "截图.txt", image, "text/plain")
    assert first["mime"] == "image/png" and first["kind"] == "image"
    assert (first["width"], first["height"]) == (64, 48)
    assert first["name"] == "截图.txt" and first["size"] == len(image)
    second = await upload(bob, "same.png", image)
    assert second["id"] != first["id"]
    assert len(blob_keys(server)) == 1  # content-addressed: stored once
    # A retry of the same upload (same user, bytes and name, not yet sent) is not a new file.
    r = await upload_raw(alice, "截图.txt", image)
    assert r.status_code == 200 and r.json()["id"] == first["id"]
    assert await file_rows(server) == 2
    assert spooled(server) == []


async def test_oversize_upload_is_rejected_before_the_body_is_read(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    head, _ = multipart("big.bin", b"")
    url = urlsplit(server.base_url)
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    # Claims 10 MB but sends only the headers: the answer must not wait for the rest.
    writer.write(
        (
            "POST /api/v1/files HTTP/1.1\r\n"
            f"Host: {url.netloc}\r\nAuthorization: Bearer {alice.token}\r\n"
            f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
            f"Content-Length: {10 * 1024 * 1024}\r\n\r\n"
        ).encode()
        + head
    )
    await writer.drain()
    status = await asyncio.wait_for(reader.readline(), 5)
    assert status.split()[1] == b"413", status
    writer.close()
    assert spooled(server) == [] and blob_keys(server) == []


async def test_chunked_upload_over_the_limit_is_cut_off_and_removed(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    head, tail = multipart("big.bin", b"")

    async def body() -> AsyncIterator[bytes]:
        yield head
        for _ in range(8):  # no Content-Length: the limit is enforced while streaming
            yield b"x" * (LIMIT // 4)
        yield tail

    r = await alice.post(
        "/files",
        content=body(),
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    body_json = problem(r, 413, "file_too_large")
    assert body_json["limit"] == LIMIT
    assert spooled(server) == [] and blob_keys(server) == [] and await file_rows(server) == 0


async def test_quota_per_user(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    for i in range(3):
        await upload(alice, f"part{i}.bin", bytes([i]) * (LIMIT - 1000))
    r = await upload_raw(alice, "one-more.bin", b"z" * (LIMIT - 1000))
    problem(r, 413, "quota_exceeded")
    assert len(blob_keys(server)) == 3 and spooled(server) == []
    bob = await create_user(admin, "bob")  # the quota is per user
    await upload(bob, "bob.bin", b"z" * 100)


async def test_empty_file_and_bodies_without_a_file(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    problem(await upload_raw(alice, "empty.txt", b""), 422, "empty_file")
    r = await alice.post("/files", content=b"hello", headers={"Content-Type": "text/plain"})
    problem(r, 415, "unsupported_media_type")
    r = await alice.post(
        "/files",
        content=f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="other"\r\n\r\nx\r\n'
        f"--{BOUNDARY}--\r\n".encode(),
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    problem(r, 422, "no_file")
    problem(await server.client().post("/files", content=b""), 401, "unauthorized")
    assert spooled(server) == [] and blob_keys(server) == [] and await file_rows(server) == 0


async def test_interrupted_upload_leaves_no_orphan(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    head, _ = multipart("half.bin", b"")
    url = urlsplit(server.base_url)
    _, writer = await asyncio.open_connection(url.hostname, url.port)
    writer.write(
        (
            "POST /api/v1/files HTTP/1.1\r\n"
            f"Host: {url.netloc}\r\nAuthorization: Bearer {alice.token}\r\n"
            f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
            f"Content-Length: {LIMIT}\r\n\r\n"
        ).encode()
        + head
        + b"y" * (LIMIT // 2)
    )
    await writer.drain()
    await wait_for(lambda: spooled(server) != [], 5)  # the server is receiving it
    writer.close()  # the client goes away mid-upload
    await wait_for(lambda: spooled(server) == [], 5)
    assert blob_keys(server) == [] and await file_rows(server) == 0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"../../etc/passwd", "passwd"),
        (b"..\\..\\windows\\system32\\cmd.exe", "cmd.exe"),
        (b"a\x07b\x1bc\x7f.txt", "abc.txt"),
        ("invoice\u202egpj.exe".encode(), "invoicegpj.exe"),  # no right-to-left override
        (b"..", "file"),
        (b"   ", "file"),
        ("报告 2026 年.xlsx".encode(), "报告 2026 年.xlsx"),
    ],
)
async def test_names_are_sanitised(server: Server, raw: bytes, expected: str) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    r = await upload_raw(alice, raw, b"plain text content\n")
    assert r.status_code == 201, r.text
    assert r.json()["name"] == expected
    download = await alice.get(f"/files/{r.json()['id']}")
    assert download.status_code == 200
    disposition = download.headers["content-disposition"]
    assert "/" not in disposition and "\\" not in disposition.replace('\\"', "")
    assert all(0x20 <= ord(c) < 0x7F for c in disposition)
