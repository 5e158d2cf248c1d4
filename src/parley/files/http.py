"""HTTP details of serving stored files: Range requests, and the headers that keep an
uploaded HTML or SVG page from ever running script in Parley's origin."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

from starlette.responses import Response, StreamingResponse

from parley.core.errors import Problem
from parley.files.names import content_disposition

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
