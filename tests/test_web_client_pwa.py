"""The installable client's service worker is served so browsers always check for a new one."""

from __future__ import annotations

from pathlib import Path

import httpx
from fastapi import FastAPI

from parley.web_client import mount_client


async def test_service_worker_is_javascript_and_never_cached(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>app</title>")
    (tmp_path / "sw.js").write_text("self.addEventListener('fetch', () => {})")
    (tmp_path / "registerSW.js").write_text("navigator.serviceWorker.register('/sw.js')")
    app = FastAPI()
    mount_client(app, tmp_path)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        for name in ("sw.js", "registerSW.js"):
            r = await c.get(f"/{name}")
            assert r.status_code == 200
            assert r.headers["content-type"].split(";")[0] in {
                "text/javascript",
                "application/javascript",
            }
            assert r.headers["cache-control"] == "no-cache"
        # A deep link is still the app's page.
        assert (await c.get("/c/123")).text.startswith("<!doctype html>")
