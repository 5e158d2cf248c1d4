"""Profile pictures: an upload chosen as your avatar, served square in several sizes to
every signed-in colleague, and refused when it is not a safe image of yours."""

from __future__ import annotations

import io
import os

from PIL import Image

from tests.files import samples
from tests.files.support import upload
from tests.helpers import Server, create_user, problem, setup_admin


def _webp(body: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(body))
    assert img.format == "WEBP"
    return img


async def test_avatar_is_served_square_to_colleagues(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    picture = await upload(alice, "me.jpg", samples.jpeg_with_gps(400, 200, orientation=1))
    r = await alice.put("/users/me/avatar", json={"file_id": picture["id"]})
    assert r.status_code == 200, r.text
    url = r.json()["avatar_url"]
    assert url == f"/api/v1/avatars/{picture['id']}"

    # The URL is part of every user payload: a colleague's view, the directory, /me.
    assert (await bob.get(f"/users/{alice.user_id}")).json()["avatar_url"] == url
    found = (await bob.get("/users", params={"q": "alice"})).json()["items"]
    assert [u["avatar_url"] for u in found] == [url]
    assert (await alice.get("/users/me")).json()["avatar_url"] == url

    # Bob shares no conversation with Alice and still sees her picture, in each size.
    for size in (64, 128, 256):
        got = await bob.get(url.removeprefix("/api/v1"), params={"size": size})
        assert got.status_code == 200, got.text
        assert got.headers["content-type"] == "image/webp"
        assert "immutable" in got.headers["cache-control"]
        assert got.headers["x-content-type-options"] == "nosniff"
        assert _webp(got.content).size == (size, size)
    problem(await bob.get(url.removeprefix("/api/v1"), params={"size": 100}), 422, "invalid_size")
    # Not to anyone signed out, and the upload itself stays private to Alice.
    anonymous = server.client()
    assert (await anonymous.get(url.removeprefix("/api/v1"))).status_code == 401
    problem(await bob.get(f"/files/{picture['id']}"), 404, "file_not_found")

    # A new picture: a new URL; the old one is nobody's avatar any more.
    second = await upload(alice, "new.png", samples.png(300, 300, (10, 200, 10)))
    r = await alice.put("/users/me/avatar", json={"file_id": second["id"]})
    assert r.json()["avatar_url"].endswith(second["id"])
    problem(await bob.get(url.removeprefix("/api/v1")), 404, "file_not_found")
    r = await alice.delete("/users/me/avatar")
    assert r.status_code == 200 and r.json()["avatar_url"] is None


async def test_avatar_bad_input(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")

    async def choose(file_id: str) -> object:
        return await alice.put("/users/me/avatar", json={"file_id": file_id})

    text = await upload(alice, "notes.txt", "不是图片".encode())
    problem(await choose(text["id"]), 422, "not_an_image")
    pdf = await upload(alice, "photo.png", samples.pdf(1))  # a PDF named like an image
    problem(await choose(pdf["id"]), 422, "not_an_image")
    bomb = await upload(alice, "bomb.png", samples.png_bomb())
    problem(await choose(bomb["id"]), 422, "image_too_large")
    noise = Image.frombytes("RGB", (1400, 1400), os.urandom(1400 * 1400 * 3))
    buf = io.BytesIO()
    noise.save(buf, "PNG")
    big = await upload(alice, "big.png", buf.getvalue())
    problem(await choose(big["id"]), 413, "avatar_too_large")

    # Bob's image is not Alice's to use, and nobody can set Alice's picture but Alice.
    bobs = await upload(bob, "bob.png", samples.png(80, 80))
    problem(await choose(bobs["id"]), 422, "avatar_file_not_found")
    problem(await choose("01a23cab-4336-73ac-b9ec-c8d4dff1d9f8"), 422, "avatar_file_not_found")
    r = await bob.put(f"/users/{alice.user_id}/avatar", json={"file_id": bobs["id"]})
    assert r.status_code in (404, 405)
    problem(await alice.put("/users/me/avatar", json={"file_id": "nope"}), 422, "invalid_request")
    assert (await bob.get(f"/users/{alice.user_id}")).json()["avatar_url"] is None
