"""Serve the built web client (web/dist) from the API process: hashed assets with long
cache lifetimes, precompressed (the build writes `name.br` and `name.gz` beside each
asset; the copy the browser accepts is sent, with no compression work per request), and
an SPA fallback so a deep link like /c/<id> loads the app.

`mount_client` must be called after every API router is included: its catch-all GET
route is matched last. Paths under /api never fall back to the client; an unknown API
path stays a problem+json 404."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Sequence
from pathlib import Path
from stat import S_ISREG

import anyio
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response
from starlette.datastructures import Headers
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from parley.core.errors import NotFound
from parley.core.http_errors import problem_response

# Defence in depth for the SPA: no inline or third-party script may run even if some
# markup slipped through. Element Plus sets inline style attributes, hence 'unsafe-inline'
# for styles only. Sockets may go to this host only (connect-src names it with ws/wss,
# which 'self' does not cover in every browser), never to any host the page is told of.
_CSP = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)
# Calls need the camera, the microphone and screen sharing of this origin; no embedded
# or other origin gets them, nor anything else the client never uses.
PERMISSIONS_POLICY = ", ".join(
    [
        "camera=(self)",
        "microphone=(self)",
        "display-capture=(self)",
        "fullscreen=(self)",
        "geolocation=()",
        "payment=()",
        "usb=()",
        "serial=()",
        "bluetooth=()",
        "midi=()",
        "interest-cohort=()",
    ]
)


def page_headers(host: str, frame_ancestors: str, connect: Sequence[str] = ()) -> dict[str, str]:
    """The page's security headers. `host` is the request's Host (the socket's address);
    `frame_ancestors` PARLEY_FRAME_ANCESTORS, `'none'` unless an intranet portal embeds
    the client; `connect`: other origins the client may reach (the Janus servers of group
    calls, when they are not behind Parley's own origin)."""
    sockets = f" ws://{host} wss://{host}" if _PLAIN_HOST.fullmatch(host) else ""
    others = "".join(f" {origin}" for origin in connect)
    csp = [*_CSP, f"connect-src 'self'{sockets}{others}", f"frame-ancestors {frame_ancestors}"]
    headers = {
        "Cache-Control": "no-cache",
        "Content-Security-Policy": "; ".join(csp),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": PERMISSIONS_POLICY,
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if frame_ancestors.strip() == "'none'":
        headers["X-Frame-Options"] = "DENY"  # for browsers older than frame-ancestors
    return headers


# A host[:port] that cannot break out of the header value (the Host header is the client's).
_PLAIN_HOST = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")
# For pages that open no socket (the API docs), whatever the host.
PAGE_HEADERS = page_headers("", "'none'")
CSP = PAGE_HEADERS["Content-Security-Policy"]
_UNHASHED_HEADERS = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}


# Best first; each is the Content-Encoding and the suffix the build gives the file.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


def accepted_encodings(header: str) -> set[str]:
    """The codings an Accept-Encoding header allows (q=0 refuses one; `*` allows all)."""
    allowed: set[str] = set()
    for item in header.lower().split(","):
        name, _, params = item.partition(";")
        quality = params.strip().removeprefix("q=")
        try:
            refused = bool(params.strip()) and float(quality) <= 0
        except ValueError:
            refused = True
        if not refused:
            allowed.add(name.strip())
    return {e for e, _ in ENCODINGS} if "*" in allowed else allowed


class _ImmutableAssets(StaticFiles):
    """Vite names assets by content hash, so they may be cached for a year."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await self._encoded(path, scope) or await super().get_response(path, scope)
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
            response.headers["X-Content-Type-Options"] = "nosniff"
            response.headers["Vary"] = "Accept-Encoding"
        return response

    async def _encoded(self, path: str, scope: Scope) -> Response | None:
        """The precompressed copy of `path` in the best coding the client accepts, if any."""
        if scope["method"] not in ("GET", "HEAD"):
            return None
        accept = Headers(scope=scope).get("accept-encoding", "")
        allowed = accepted_encodings(accept)
        for encoding, suffix in ENCODINGS:
            if encoding not in allowed:
                continue
            full, stat = await anyio.to_thread.run_sync(self.lookup_path, path + suffix)
            if stat is None or not S_ISREG(stat.st_mode):
                continue
            response = self.file_response(full, stat, scope)
            response.headers["Content-Encoding"] = encoding
            kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
            response.headers["Content-Type"] = _with_charset(kind)
            return response
        return None


def _with_charset(media_type: str) -> str:
    text = media_type.startswith("text/") or media_type in ("application/json", "image/svg+xml")
    return f"{media_type}; charset=utf-8" if text else media_type


def _not_found() -> Response:
    return problem_response(NotFound("No such API endpoint."))


def _file_in(dist: Path, path: str) -> Path | None:
    """The file of `dist` a URL path names, if any. The path is the client's: it may hold
    a NUL byte or be longer than a file name may be, which names no file (not a 500)."""
    try:
        candidate = (dist / path).resolve()
        return candidate if candidate.is_relative_to(dist) and candidate.is_file() else None
    except (ValueError, OSError):
        return None


def mount_client(
    app: FastAPI, dist: Path, frame_ancestors: str = "'none'", connect: Sequence[str] = ()
) -> None:
    """Serve `dist` (the output of `npm run build` in web/) at `/`; `connect` as in
    `page_headers`."""
    dist = dist.resolve()
    index = dist / "index.html"
    if not index.is_file():
        raise FileNotFoundError(f"{index} is missing; run `npm run build` in web/")

    assets = dist / "assets"
    if assets.is_dir():
        app.mount("/assets", _ImmutableAssets(directory=assets), name="client-assets")

    async def client(request: Request, path: str = "") -> Response:
        if path == "api" or path.startswith("api/"):
            return _not_found()
        candidate = _file_in(dist, path) if path else None
        if candidate is not None:
            # Not content-hashed (favicon, manifest, service worker): revalidated.
            return FileResponse(candidate, headers=_UNHASHED_HEADERS)
        headers = page_headers(request.headers.get("host", ""), frame_ancestors, connect)
        return FileResponse(index, media_type="text/html", headers=headers)

    app.add_api_route("/", client, methods=["GET", "HEAD"], include_in_schema=False)
    app.add_api_route("/{path:path}", client, methods=["GET", "HEAD"], include_in_schema=False)
