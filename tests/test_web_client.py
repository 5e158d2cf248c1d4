"""The built web client as the server sends it: precompressed assets in the coding the
browser accepts (bodies identical once decoded), cached for a year because their names
carry a content hash; the page itself (index.html, deep links) revalidated every time.

Uses the real build (web/dist, made by `make test` before pytest), so it also checks
that the build writes the .br and .gz copies."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers import Server

DIST = Path(__file__).resolve().parents[1] / "web" / "dist"
BUILT = (DIST / "index.html").is_file() and any((DIST / "assets").glob("*.js.br"))
IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture
def backend() -> str:
    """Serving files touches no database: one backend is enough."""
    return "sqlite"


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    if not BUILT:
        reason = "web/dist with precompressed assets is missing: run `npm run build` in web/"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return {"web_dist": DIST}


async def _get(server: Server, path: str, **headers: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.base_url) as client:
        return await client.get(path, headers=headers)


def _entry(index: str, pattern: str) -> str:
    found = re.search(pattern, index)
    assert found is not None, index
    return found.group(1)


async def test_assets_are_sent_precompressed_in_the_accepted_coding(server: Server) -> None:
    index = (await _get(server, "/")).text
    script = _entry(index, r'<script[^>]+src="(/assets/[^"]+\.js)"')
    style = _entry(index, r'<link[^>]+href="(/assets/[^"]+\.css)"')
    for path, kind in ((script, "text/javascript"), (style, "text/css")):
        tags: dict[str, str] = {}
        plain = await _get(server, path, **{"Accept-Encoding": "identity"})
        assert plain.status_code == 200 and "content-encoding" not in plain.headers
        assert plain.headers["vary"] == "Accept-Encoding"  # caches keep the codings apart
        for accept, coding, suffix in (
            ("gzip, deflate, br, zstd", "br", ".br"),  # what Chromium sends
            ("gzip, deflate", "gzip", ".gz"),
            ("br;q=0, gzip", "gzip", ".gz"),
        ):
            r = await _get(server, path, **{"Accept-Encoding": accept})
            assert r.status_code == 200, (path, accept)
            assert r.headers["content-encoding"] == coding, (path, accept)
            assert r.headers["content-type"].startswith(kind)
            assert r.headers["vary"] == "Accept-Encoding"
            assert r.headers["cache-control"] == IMMUTABLE
            assert r.headers["x-content-type-options"] == "nosniff"
            stored = (DIST / path.lstrip("/")).with_name(Path(path).name + suffix)
            assert int(r.headers["content-length"]) == stored.stat().st_size
            assert int(r.headers["content-length"]) < len(plain.content) / 2
            assert r.content == plain.content  # decoded by httpx: the same bytes
            tags[coding] = r.headers["etag"]
        assert tags["br"] != tags["gzip"] != plain.headers["etag"]  # one per stored coding
        again = await _get(server, path, **{"Accept-Encoding": "br", "If-None-Match": tags["br"]})
        assert again.status_code == 304 and again.headers["cache-control"] == IMMUTABLE


async def test_the_page_is_revalidated_and_deep_links_load_it(server: Server) -> None:
    for path in ("/", "/c/0192f0c4-0000-7000-8000-000000000000", "/settings"):
        r = await _get(server, path, **{"Accept-Encoding": "br, gzip"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert r.headers["cache-control"] == "no-cache"
        assert "script-src 'self'" in r.headers["content-security-policy"]
    icon = await _get(server, "/favicon.svg")
    assert icon.status_code == 200 and icon.headers["cache-control"] == "no-cache"
    missing = await _get(server, "/assets/nothing-here.js", **{"Accept-Encoding": "br"})
    assert missing.status_code == 404
