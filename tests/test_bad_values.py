"""Values a client may send that once crashed the server (500): each is a 4xx now."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers import Server, create_group, problem, setup_admin


@pytest.fixture
def settings_overrides(tmp_path: Path) -> dict[str, Any]:
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html><title>Parley</title>")
    return {"web_dist": dist}


@pytest.mark.parametrize(
    "params",
    [
        {"from": "0001-01-01T00:00:00"},
        {"to": "9999-12-31T23:59:59"},
        {"from": "0001-01-01T00:00:00+14:00"},
        {"to": "9999-12-31T23:59:59-12:00"},
    ],
)
async def test_search_dates_at_the_ends_of_the_calendar(
    server: Server, params: dict[str, str]
) -> None:
    admin = await setup_admin(server)
    await admin.send(await create_group(admin), "项目进度")
    r = await admin.get("/search", params={"q": "项目", **params})
    problem(r, 422, "invalid_request")


async def test_search_dates_inside_the_range_still_work(server: Server) -> None:
    admin = await setup_admin(server)
    await admin.send(await create_group(admin), "项目进度")
    params = {"q": "项目", "from": "1970-01-01T00:00:00", "to": "2999-12-31T23:59:59+08:00"}
    r = await admin.get("/search", params=params)
    assert r.status_code == 200 and len(r.json()["items"]) == 1


@pytest.mark.parametrize("path", ["/conversations", "/favorites"])
@pytest.mark.parametrize(
    "cursor",
    [
        "2024-01-01T00:00:00_0190c5e4-8c1a-7000-8000-000000000000",  # no time zone
        "0001-01-01T00:00:00+14:00_0190c5e4-8c1a-7000-8000-000000000000",
        "9999-12-31T23:59:59-12:00_0190c5e4-8c1a-7000-8000-000000000000",
    ],
)
async def test_list_cursor_with_a_bad_timestamp(server: Server, path: str, cursor: str) -> None:
    admin = await setup_admin(server)
    problem(await admin.get(path, params={"cursor": cursor}), 422, "invalid_cursor")


async def test_list_cursor_the_server_made_still_pages(server: Server) -> None:
    admin = await setup_admin(server)
    for name in ("one", "two", "three"):
        await create_group(admin, name=name)
    first = (await admin.get("/conversations", params={"limit": 2})).json()
    rest = (await admin.get("/conversations", params={"cursor": first["next_cursor"]})).json()
    names = [c["conversation"]["name"] for c in first["items"] + rest["items"]]
    assert names == ["three", "two", "one"]


@pytest.mark.parametrize(
    "before", ["99999999999999999999.1", "1.99999999999999999999", "-1.0", "2147483648.0"]
)
async def test_files_cursor_beyond_the_database_integer(server: Server, before: str) -> None:
    admin = await setup_admin(server)
    cid = await create_group(admin)
    r = await admin.get(f"/conversations/{cid}/files", params={"before": before})
    problem(r, 422, "invalid_cursor")


@pytest.mark.parametrize("path", ["/x%00", "/%00", "/assets%00/x.js", "/" + "a" * 300])
async def test_web_client_paths_that_name_no_file(server: Server, path: str) -> None:
    """A name no file can have (a NUL byte, too long for the file system) is a page of the
    client like any unknown path."""
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        r = await http.get(path)
    assert r.status_code == 200, r.text
    assert "<title>Parley</title>" in r.text


@pytest.mark.parametrize(
    "path",
    [
        "/users?q=a%00b",
        "/users?after=a%00b",
        "/search?q=a%00b",
        "/conversations/{cid}/files?q=a%00b",
    ],
)
async def test_nul_in_query_text(server: Server, path: str) -> None:
    """PostgreSQL refuses NUL in text, so a query comparing with it was a 500 there."""
    admin = await setup_admin(server)
    cid = await create_group(admin)
    problem(await admin.get(path.format(cid=cid)), 422, "invalid_request")
