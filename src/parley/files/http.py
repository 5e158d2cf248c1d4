"""HTTP details of serving stored files: Range requests, and the headers that keep an
uploaded HTML or SVG page from ever running script in Parley's origin."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

from starlette.responses import Response, StreamingResponse

from parley.core.errors import NotFound, Problem
from parley.files.models import File
from parley.files.names import content_disposition
from parley.files.renditions import Source
from parley.files.runtime import FilesRuntime

# Shown inline (in <img>, <video>, a new tab): types a browser cannot execute.
INLINE_SAFE = {
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/bmp",
    "image/avif",
    "audio/ogg; codecs=opus",
    "audio/ogg",
    "audio/webm",
    "audio/mpeg",
    "audio/x-wav",
    "audio/x-flac",
    "audio/mp4",
    "video/mp4",
    "video/webm",
    "video/quicktime",
    "text/plain",
}
# No script, no plugins, no same-origin access, whatever the content claims to be.
SANDBOX_CSP = "default-src 'none'; sandbox"
DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
FAILED_NOTE = {
    "en": "This file could not be previewed; it may be damaged. Download it to open it.",
    "zh-CN": "无法预览此文件，文件可能已损坏。请下载后打开。",
}


class PreviewUnavailable(Problem):
    status, code, title = 415, "preview_unavailable", "No preview"


async def rendition(
    files: FilesRuntime, file: File, family: str, page: int, viewer: uuid.UUID
) -> tuple[bytes, dict[str, Any]] | None:
    """Page `page` of a rendition and its manifest (made now if needed, charged to
    `viewer` on the fair preview queue), or None while it is still being made."""
    source = Source(file.sha256, file.mime, file.name)
    manifest = await files.renditions.get(source, family, str(viewer))
    if manifest is None:
        return None
    if manifest.get("status") != "ready":
        raise PreviewUnavailable(
            "This file could not be previewed.", code="preview_failed", notes=FAILED_NOTE
        )
    pages = int(manifest["pages"])
    if page > pages:
        raise NotFound(f"The preview has {pages} page(s).", code="page_not_found", pages=pages)
    data = await files.storage.get_bytes(files.renditions.artifact(source, family, page))
    if data is None:  # removed behind our back: make it again next time
        raise PreviewUnavailable("The preview is being rebuilt.", code="preview_failed")
    return data, manifest


class RangeNotSatisfiable(Problem):
    status, code, title = 416, "range_not_satisfiable", "Range not satisfiable"


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(start, end) inclusive of a single `bytes=` range, None for the whole file.
    Several ranges are answered with the whole file, which RFC 9110 allows."""
    if not header or "," in header:
        return None
    match = _RANGE.match(header.strip())
    if match is None:
        return None  # a malformed Range header is ignored, per RFC 9110
    first, last = (_offset(g) for g in match.groups())
    if first is None:  # the last N bytes
        if last is None:
            return None
        if last == 0 or size == 0:
            raise _unsatisfiable(size)
        return max(size - last, 0), size - 1
    end = min(last, size - 1) if last is not None else size - 1
    if first >= size or (last is not None and last < first):
        raise _unsatisfiable(size)
    return first, end


def _offset(digits: str) -> int | None:
    """A byte offset; one longer than any file could be is capped (Python refuses to
    convert more than 4300 digits, which was a 500)."""
    if not digits:
        return None
    return int(digits) if len(digits) <= 18 else 10**18


def _unsatisfiable(size: int) -> RangeNotSatisfiable:
    problem = RangeNotSatisfiable(f"The file has {size} bytes.", size=size)
    return problem


def security_headers(mime: str, name: str, *, download: bool) -> dict[str, str]:
    inline = not download and mime in INLINE_SAFE
    return {
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": SANDBOX_CSP,
        "Content-Disposition": content_disposition(name, inline=inline),
        "Cross-Origin-Resource-Policy": "same-origin",
    }


def file_response(
    body: AsyncIterator[bytes] | None,
    *,
    size: int,
    byte_range: tuple[int, int] | None,
    mime: str,
    etag: str,
    headers: dict[str, str],
) -> Response:
    common = {
        **headers,
        "Accept-Ranges": "bytes",
        "ETag": etag,
        # Access can be withdrawn (recall, removal): caches must ask again every time.
        "Cache-Control": "private, no-cache",
    }
    if body is None:
        return Response(status_code=304, headers=common)
    if byte_range is None:
        return StreamingResponse(
            body,
            media_type=mime,
            headers={**common, "Content-Length": str(size)},
        )
    start, end = byte_range
    return StreamingResponse(
        body,
        status_code=206,
        media_type=mime,
        headers={
            **common,
            "Content-Length": str(end - start + 1),
            "Content-Range": f"bytes {start}-{end}/{size}",
        },
    )
