"""Cheap clients for the load generator: a WebSocket client and an HTTP/1.1 client written
directly on asyncio protocols.

The `websockets` client costs tens of microseconds of Python per received frame (a frame
parser generator, a message assembler, a queue, a task switch per `recv`). At 50,000
deliveries a second that alone would saturate a core of this 2-core machine, so the
bench would measure itself. Here a received text frame costs one header decode and one
callback; the payload is handed over as bytes and parsed only by receivers that need it.
Outgoing frames are masked with the C `apply_mask` of the `websockets` package.
"""

from __future__ import annotations

import asyncio
import base64
import os
import struct
from collections.abc import Callable
from typing import Any

import orjson
from websockets.speedups import apply_mask  # type: ignore[import-untyped]

OnText = Callable[["WsClient", bytes], None]


class WsClient(asyncio.Protocol):
    """One socket. `on_text(client, payload)` is called for every text frame."""

    def __init__(self, host: str, port: int, path: str, on_text: OnText) -> None:
        self.host, self.port, self.path = host, port, path
        self.on_text = on_text
        self.transport: asyncio.Transport | None = None
        self.buf = bytearray()
        self.handshake: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.closed: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self.upgraded = False
        self.bytes_in = 0
        self.user: Any = None  # the scenario's per-client state

    @classmethod
    async def connect(cls, host: str, port: int, path: str, on_text: OnText) -> WsClient:
        loop = asyncio.get_running_loop()
        _, client = await loop.create_connection(lambda: cls(host, port, path, on_text), host, port)
        await client.handshake
        return client

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        transport.write(request.encode())  # type: ignore[attr-defined]

    def data_received(self, data: bytes) -> None:
        self.bytes_in += len(data)
        buf = self.buf
        buf += data
        if not self.upgraded:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(buf[: buf.find(b"\r\n")])
            del buf[: end + 4]
            if b" 101 " not in status:
                self.handshake.set_exception(ConnectionError(status.decode(errors="replace")))
                return
            self.upgraded = True
            self.handshake.set_result(None)
        pos, size = 0, len(buf)
        while size - pos >= 2:
            b0, b1 = buf[pos], buf[pos + 1]
            n = b1 & 0x7F
            head = 2
            if n == 126:
                if size - pos < 4:
                    break
                n = (buf[pos + 2] << 8) | buf[pos + 3]
                head = 4
            elif n == 127:
                if size - pos < 10:
                    break
                n = struct.unpack_from("!Q", buf, pos + 2)[0]
                head = 10
            if size - pos < head + n:
                break
            payload = bytes(buf[pos + head : pos + head + n])
            pos += head + n
            opcode = b0 & 0x0F
            if opcode == 1:
                self.on_text(self, payload)
            elif opcode == 9:
                self._write(0xA, payload)  # pong
            elif opcode == 8:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                if not self.closed.done():
                    self.closed.set_result(code)
                self._write(0x8, payload[:2])
                if self.transport:
                    self.transport.close()
        if pos:
            del buf[:pos]

    def _write(self, opcode: int, payload: bytes) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        n = len(payload)
        if n < 126:
            header = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
        elif n < 65536:
            header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
        mask = os.urandom(4)
        self.transport.write(header + mask + apply_mask(payload, mask))

    def send(self, frame: dict[str, Any]) -> None:
        self._write(0x1, orjson.dumps(frame))

    def close(self) -> None:
        self._write(0x8, struct.pack("!H", 1000))
        if self.transport:
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.handshake.done():
            self.handshake.set_exception(exc or ConnectionError("closed during handshake"))
        if not self.closed.done():
            self.closed.set_result(1006)


class _HttpConnection(asyncio.Protocol):
    """A keep-alive HTTP/1.1 connection for JSON requests, one request at a time."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.transport: asyncio.Transport | None = None
        self.buf = bytearray()
        self.waiter: asyncio.Future[tuple[int, bytes]] | None = None
        self.lost = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        if self.waiter and not self.waiter.done():
            self.waiter.set_exception(exc or ConnectionError("connection closed"))

    def data_received(self, data: bytes) -> None:
        self.buf += data
        end = self.buf.find(b"\r\n\r\n")
        if end < 0 or self.waiter is None:
            return
        head = bytes(self.buf[:end]).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        length = 0
        for line in head[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        if len(self.buf) < end + 4 + length:
            return
        body = bytes(self.buf[end + 4 : end + 4 + length])
        del self.buf[: end + 4 + length]
        waiter, self.waiter = self.waiter, None
        if not waiter.done():
            waiter.set_result((status, body))

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        if self.lost or self.transport is None:
            raise ConnectionError("connection closed")
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(raw)
        return await self.waiter


class HttpClient:
    """JSON over one keep-alive connection. A connection the server closed while idle
    (uvicorn closes them after 5 s) is reopened once, as browsers and HTTP libraries do."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.conn: _HttpConnection | None = None

    @classmethod
    async def open(cls, host: str, port: int) -> HttpClient:
        client = cls(host, port)
        await client._connect()
        return client

    async def _connect(self) -> None:
        loop = asyncio.get_running_loop()
        _, self.conn = await loop.create_connection(
            lambda: _HttpConnection(self.host, self.port), self.host, self.port
        )

    async def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        token: str | None = None,
        decode: Callable[[bytes], Any] = orjson.loads,
    ) -> tuple[int, Any]:
        """`decode` reads a 2xx body (the default builds the whole JSON); others are JSON."""
        data = orjson.dumps(body) if body is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if token:
            lines.append(f"Authorization: Bearer {token}")
        if body is not None:
            lines += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + data
        assert self.conn is not None
        try:
            status, payload = await self.conn.request(raw)
        except ConnectionError:
            if self.conn.buf:
                raise
            self.close()
            await self._connect()
            status, payload = await self.conn.request(raw)
        if not payload:
            return status, None
        return status, decode(payload) if 200 <= status < 300 else orjson.loads(payload)

    def close(self) -> None:
        if self.conn and self.conn.transport:
            self.conn.transport.close()
