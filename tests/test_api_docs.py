"""/api/docs works with no internet: every asset comes from this server, under the web
client's strict CSP, and Swagger UI really renders under it (Debian's Chromium); an
admin can turn the page off."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from parley.web_client import CSP
from tests.helpers import Server

CHROMIUM = Path(os.environ.get("PARLEY_CHROMIUM", "/usr/bin/chromium"))
HAVE_CHROMIUM = CHROMIUM.exists()
TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


@pytest.fixture
def backend() -> str:
    """The docs touch no database: one backend is enough."""
    return "sqlite"


async def _get(server: Server, path: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.base_url) as client:
        return await client.get(path)


def _references(page: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', page)


async def test_docs_page_uses_only_its_own_assets_under_the_client_csp(server: Server) -> None:
    page = await _get(server, "/api/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == CSP
    assert "script-src 'self';" in CSP and "unsafe-inline" not in CSP.split("script-src")[1][:20]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in page.text  # no inline script: the CSP would block it
    refs = _references(page.text)
    assert len(refs) == 4, refs  # icon, stylesheet, Swagger UI, its start-up script
    for ref in refs:
        assert ref.startswith("/") and not ref.startswith("//"), ref  # same origin
        asset = await _get(server, ref)
        assert asset.status_code == 200, ref
        assert asset.headers["content-type"].startswith(TYPES[Path(ref).suffix]), ref
        assert asset.headers["x-content-type-options"] == "nosniff"
    bundle = await _get(server, "/api/docs/assets/swagger-ui-bundle.js")
    assert "SwaggerUIBundle" in bundle.text and len(bundle.content) > 500_000
    init = (await _get(server, "/api/docs/init.js")).text
    spec_url = re.search(r'url: "([^"]+)"', init)
    assert spec_url is not None and "validatorUrl: null" in init
    spec = await _get(server, spec_url.group(1))
    assert spec.status_code == 200 and spec.json()["info"]["title"] == "Parley API"


async def test_swagger_ui_renders_under_the_csp(server: Server) -> None:
    if not HAVE_CHROMIUM:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    playwright = pytest.importorskip("playwright.async_api")
    problems: list[str] = []
    async with playwright.async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = await browser.new_page()
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        outside: list[str] = []

        def note(request: Any) -> None:
            if not request.url.startswith(server.base_url):
                outside.append(request.url)

        page.on("request", note)
        await page.goto(f"{server.base_url}/api/docs")
        await page.locator(".opblock-summary-path", has_text="/api/v1/auth/login").wait_for()
        assert await page.locator(".opblock").count() > 20
        await browser.close()
    assert problems == [] and outside == []


class TestTurnedOff:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, Any]:
        return {"api_docs": False}

    async def test_docs_answer_404(self, server: Server) -> None:
        for path in ("/api/docs", "/api/docs/init.js", "/api/docs/assets/swagger-ui-bundle.js"):
            r = await _get(server, path)
            assert r.status_code == 404, path
            assert r.headers["content-type"] == "application/problem+json"
        assert (await _get(server, "/api/v1/openapi.json")).status_code == 200  # kept for clients
