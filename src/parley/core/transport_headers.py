"""Strict-Transport-Security on every answer sent over HTTPS (served directly with
PARLEY_TLS_CERT, or behind a proxy that says so with X-Forwarded-Proto): once a browser
has seen Parley over HTTPS it never tries plain HTTP for it again, so no one on the path
can downgrade the session. Never over plain HTTP, where it means nothing and would only
pin a development setup. Pure ASGI, like api_headers.py."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class TransportSecurity:
    def __init__(self, app: ASGIApp, max_age: int) -> None:
        self.app = app
        self.header = (b"strict-transport-security", f"max-age={max_age}".encode())
        self.max_age = max_age

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("scheme") != "https" or not self.max_age:
            await self.app(scope, receive, send)
            return

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), self.header]
            await send(message)

        await self.app(scope, receive, send_with_header)
