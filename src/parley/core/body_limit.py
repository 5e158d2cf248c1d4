"""Reject request bodies over a size limit before anyone parses them.

Endpoints that stream large bodies themselves (file uploads) are listed in `exempt`:
they enforce their own, larger limit, from Content-Length and while streaming."""

from __future__ import annotations

from collections.abc import Collection

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from parley.core.errors import PayloadTooLarge
from parley.core.jsonutil import dumps


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int, exempt: Collection[str] = ()) -> None:
        self.app, self.max_bytes = app, max_bytes
        self.exempt = frozenset(exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        max_bytes = self.max_bytes
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > max_bytes):
            await self._refuse(send, max_bytes)
            return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > max_bytes:
                    # A Problem, so the app's handler answers 413 (chunked bodies).
                    raise PayloadTooLarge(f"The body may be at most {max_bytes} bytes.")
            return message

        await self.app(scope, limited_receive, send)

    async def _refuse(self, send: Send, max_bytes: int) -> None:
        problem = PayloadTooLarge(f"The body may be at most {max_bytes} bytes.")
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
