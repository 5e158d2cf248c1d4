"""Every API response forbids caching and content sniffing; the client's pages keep theirs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.files.samples import png
from tests.helpers import PASSWORD, Server, create_group, setup_admin

NO_STORE = ("cache-control", "no-store")
NOSNIFF = ("x-content-type-options", "nosniff")


def has(r: httpx.Response, *headers: tuple[str, str]) -> None:
    for name, value in headers:
        assert r.headers.get(name) == value, (r.request.url, name, dict(r.headers))


@pytest.fixture
def settings_overrides(tmp_path: Path) -> dict[str, Any]:
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html><title>Parley</title>")
    return {"web_dist": dist, "max_body_bytes": 4096}


async def test_the_login_answer_is_never_cached(server: Server) -> None:
    await setup_admin(server)
    r = await server.client().post("/auth/login", json={"login": "admin", "password": PASSWORD})
    assert r.status_code == 200 and r.json()["token"]
    has(r, NO_STORE, NOSNIFF)


async def test_json_answers_and_errors_carry_both(server: Server) -> None:
    admin = await setup_admin(server)
    cid = await create_group(admin)
    has(await admin.get("/users/me"), NO_STORE, NOSNIFF)
    has(await admin.get(f"/conversations/{cid}/messages"), NO_STORE, NOSNIFF)
    has(await server.client().get("/users/me"), NO_STORE, NOSNIFF)  # 401
    has(await admin.get("/no/such/route"), NO_STORE, NOSNIFF)  # 404
    big = b'{"text": "' + b"x" * 5000 + b'"}'
    r = await admin.post("/auth/login", content=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    has(r, NO_STORE, NOSNIFF)


async def test_a_crash_answer_carries_both(server: Server) -> None:
    async def broken() -> None:
        raise RuntimeError("a bug")

    server.app.add_api_route("/api/v1/broken", broken)
    # The client's catch-all route was added first: put the broken one before it.
    server.app.router.routes.insert(0, server.app.router.routes.pop())
    r = await server.client().get("/broken")
    assert r.status_code == 500
    has(r, NO_STORE, NOSNIFF)


async def test_file_downloads_keep_their_own_caching(server: Server) -> None:
    admin = await setup_admin(server)
    r = await admin.post("/files", files={"file": ("a.png", png(), "image/png")})
    assert r.status_code == 201, r.text
    download = await admin.get(f"/files/{r.json()['id']}")
    assert download.status_code == 200
    assert download.headers["cache-control"] == "private, no-cache"
    has(download, NOSNIFF)


async def test_client_pages_are_left_to_the_client(server: Server) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        page = await http.get("/c/some-chat")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-cache"
