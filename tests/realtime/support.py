"""Helpers for the gateway tests: raw sockets, close codes, acks and history paging."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import orjson
import websockets
from websockets.exceptions import ConnectionClosed

from tests.helpers import Api, Server, Ws

CLOSE_AUTH = 4001
CLOSE_SLOW = 4008
CLOSE_TIMEOUT = 4009


async def connect(server: Server, token: str | None = None, **kwargs: Any) -> Ws:
    """A `Ws` with extra websockets options (headers, max_queue ...); auth if a token is given."""
    return await Ws.connect(server.ws_url, token, **kwargs)


async def send_raw(ws: Ws, data: str | bytes) -> None:
    await ws.socket.send(data)


async def closed(ws: Ws, timeout: float = 5, *, answer_pings: bool = False) -> int | None:
    """Read (and keep) frames until the server closes the socket; return the close code.

    With `answer_pings` it behaves like a live client, answering heartbeat pings."""
    try:
        async with asyncio.timeout(timeout):
            while True:
                frame = await ws.recv(timeout)
                if answer_pings and frame.get("type") == "ping":
                    await ws.send({"type": "pong", "t": frame.get("t")})
    except ConnectionClosed:
        return ws.socket.close_code
    except TimeoutError as exc:
        raise AssertionError(f"socket still open; frames: {ws.frames[-5:]}") from exc


async def send_ws(
    ws: Ws, conversation_id: str, text: str, *, ref: str | None = None, **extra: Any
) -> dict[str, Any]:
    """Send over the socket and wait for its ack (skipping other frames)."""
    ref = ref or uuid.uuid4().hex[:12]
    frame = {
        "type": "message.send",
        "conversation_id": conversation_id,
        "client_msg_id": extra.pop("client_msg_id", uuid.uuid4().hex),
        "text": text,
        "ref": ref,
        **extra,
    }
    await ws.send(frame)
    return await ws.expect("message.ack", ref=ref)


async def error(ws: Ws, **match: Any) -> dict[str, Any]:
    return await ws.expect("error", **match)


async def history(api: Api, conversation_id: str, page: int = 200) -> list[dict[str, Any]]:
    """The whole visible log, paged forward with `after=`."""
    out: list[dict[str, Any]] = []
    after = 0
    while True:
        r = await api.get(
            f"/conversations/{conversation_id}/messages", params={"after": after, "limit": page}
        )
        assert r.status_code == 200, r.text
        body = r.json()
        out.extend(body["items"])
        if not body["has_more"]:
            return out
        after = body["items"][-1]["seq"]


def received(ws: Ws, type_: str, **match: Any) -> list[dict[str, Any]]:
    """Frames of this type (and matching fields) this socket has received so far."""
    return [
        f
        for f in ws.frames
        if f.get("type") == type_ and all(f.get(k) == v for k, v in match.items())
    ]


def texts(ws: Ws, conversation_id: str) -> list[str]:
    return [
        f["message"]["text"]
        for f in received(ws, "message.new", conversation_id=conversation_id)
        if f["message"]["kind"] == "text"
    ]


def cookie_headers(server: Server, token: str, origin: str | None = None) -> dict[str, str]:
    return {"Cookie": f"parley_session={token}", "Origin": origin or server.base_url}


async def raw_socket(server: Server, **kwargs: Any) -> websockets.ClientConnection:
    return await websockets.connect(server.ws_url, **kwargs)


def dumps(frame: dict[str, Any]) -> str:
    return orjson.dumps(frame).decode()
