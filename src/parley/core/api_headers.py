"""Headers every API response carries, added where the response is sent.

`Cache-Control: no-store`: API answers are one user's data (a login answer holds a
token), so no browser or proxy cache may keep them. `X-Content-Type-Options: nosniff`:
JSON is never run as script or rendered as HTML, whatever a browser guesses. A response
that chose its own caching (file downloads: `private, no-cache` with an ETag) keeps it.

Pure ASGI rather than BaseHTTPMiddleware: this runs on every response, and it only looks
at the start message."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
_ADDED = tuple((k.lower().encode(), v.encode()) for k, v in API_HEADERS.items())


class ApiHeaders:
    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app, self.prefix = app, prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in _ADDED if h[0] not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
