"""Serve the built web client (web/dist) from the API process: hashed assets with long
cache lifetimes, and an SPA fallback so a deep link like /c/<id> loads the app.

`mount_client` must be called after every API router is included: its catch-all GET
route is matched last. Paths under /api never fall back to the client; an unknown API
path stays a problem+json 404."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from parley.core.errors import NotFound
from parley.core.http_errors import problem_response

# Defence in depth for the SPA: no inline or third-party script may run even if some
# markup slipped through. Element Plus sets inline style attributes, hence 'unsafe-inline'
# for styles only.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self' ws: wss:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PAGE_HEADERS = {
    "Cache-Control": "no-cache",
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
# The service worker and its registration script keep their names across builds: browsers
# must ask each time, or an installed app would run an old client until the cache expired.
UNHASHED_SCRIPTS = frozenset({"sw.js", "registerSW.js"})


class _ImmutableAssets(StaticFiles):
    """Vite names assets by content hash, so they may be cached for a year."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
            response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def _not_found() -> Response:
    return problem_response(NotFound("No such API endpoint."))


def mount_client(app: FastAPI, dist: Path) -> None:
    """Serve `dist` (the output of `npm run build` in web/) at `/`."""
    dist = dist.resolve()
    index = dist / "index.html"
    if not index.is_file():
        raise FileNotFoundError(f"{index} is missing; run `npm run build` in web/")

    assets = dist / "assets"
    if assets.is_dir():
        app.mount("/assets", _ImmutableAssets(directory=assets), name="client-assets")

    async def client(path: str = "") -> Response:
        if path == "api" or path.startswith("api/"):
            return _not_found()
        if path:
            candidate = (dist / path).resolve()
            if candidate.is_relative_to(dist) and candidate.is_file():
                headers = {"X-Content-Type-Options": "nosniff"}
                if path in UNHASHED_SCRIPTS:
                    headers["Cache-Control"] = "no-cache"
                return FileResponse(candidate, headers=headers)
        return FileResponse(index, media_type="text/html", headers=PAGE_HEADERS)

    app.add_api_route("/", client, methods=["GET", "HEAD"], include_in_schema=False)
    app.add_api_route("/{path:path}", client, methods=["GET", "HEAD"], include_in_schema=False)
