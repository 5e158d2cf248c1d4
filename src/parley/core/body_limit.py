"""Reject request bodies over a size limit, or JSON nested too deeply, before anyone
parses them.

A JSON body (declared as JSON, or undeclared: FastAPI parses those as JSON too) is read
here in full, scanned, and handed on; the endpoint would have read it whole anyway.
Other bodies stream through, counted. Endpoints that stream large bodies themselves (file
uploads) are listed in `exempt`: they enforce their own, larger limit, from
Content-Length and while streaming."""

from __future__ import annotations

from collections.abc import Collection

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from parley.core.errors import PayloadTooLarge, Problem
from parley.core.json_depth import JsonTooDeep, too_deep
from parley.core.jsonutil import dumps

_NO_BODY = frozenset({"GET", "HEAD", "OPTIONS"})


class BodyLimit:
    def __init__(
        self, app: ASGIApp, max_bytes: int, max_depth: int, exempt: Collection[str] = ()
    ) -> None:
        self.app, self.max_bytes, self.max_depth = app, max_bytes, max_depth
        self.exempt = frozenset(exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _refuse(send, self._too_large())
            return
        if scope["method"] in _NO_BODY or not _json(headers.get(b"content-type")):
            await self.app(scope, self._counted(receive), send)
            return
        try:
            body = await self._read(receive)
        except Problem as problem:
            await _refuse(send, problem)
            return
        if body is None:
            return  # the client went away before sending its body
        if too_deep(body, self.max_depth):
            await _refuse(send, JsonTooDeep(self.max_depth))
            return
        await self.app(scope, _replay(body, receive), send)

    def _too_large(self) -> PayloadTooLarge:
        return PayloadTooLarge(f"The body may be at most {self.max_bytes} bytes.")

    async def _read(self, receive: Receive) -> bytes | None:
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return None
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.max_bytes:
                raise self._too_large()
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    def _counted(self, receive: Receive) -> Receive:
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    # A Problem, so the app's handler answers 413 (chunked bodies).
                    raise self._too_large()
            return message

        return limited_receive


def _json(content_type: bytes | None) -> bool:
    if content_type is None:
        return True
    media = content_type.split(b";", 1)[0].strip().lower()
    return media == b"application/json" or media.endswith(b"+json")


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body already read, then whatever the client sends next (a disconnect)."""
    pending = True

    async def replayed() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


async def _refuse(send: Send, problem: Problem) -> None:
    body = dumps(problem.body())
    await send(
        {
            "type": "http.response.start",
            "status": problem.status,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
