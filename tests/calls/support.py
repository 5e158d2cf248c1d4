"""Helpers for call tests: a direct chat and a call set up to a given point."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from tests.helpers import Api, Ws


async def direct_chat(a: Api, b: Api) -> str:
    r = await a.post("/conversations", json={"type": "direct", "user_id": b.user_id})
    assert r.status_code in (200, 201), r.text
    return str(r.json()["conversation"]["id"])


async def ring(caller: Ws, cid: str, media: str = "video") -> dict[str, Any]:
    """Invite over the caller's socket; the `call.ringing` answer."""
    await caller.send({"type": "call.invite", "conversation_id": cid, "media": media, "ref": "r1"})
    return await caller.expect("call.ringing", ref="r1")


async def act(ws: Ws, type_: str, call_id: str, **extra: Any) -> None:
    await ws.send({"type": type_, "call_id": call_id, **extra})


async def call_entries(api: Api, cid: str) -> list[dict[str, Any]]:
    """The call records of the conversation's log, oldest first."""
    items = (await api.get(f"/conversations/{cid}/messages")).json()["items"]
    return [m["system"] for m in items if m["kind"] == "system" and m["system"]["event"] == "call"]


async def unread(api: Api, cid: str) -> int:
    items = (await api.get("/conversations")).json()["items"]
    return int(next(c["unread_count"] for c in items if c["conversation"]["id"] == cid))


async def records_seen(ws: Ws, cid: str, n: int) -> None:
    """Wait until this socket has received `n` call records of the chat: each is written
    just after its `call.ended` went out, so it may arrive a moment later."""

    def count() -> int:
        return sum(
            1
            for f in ws.frames
            if f.get("type") == "message.new"
            and f.get("conversation_id") == cid
            and (f["message"].get("system") or {}).get("event") == "call"
        )

    async with asyncio.timeout(5):
        while count() < n:
            await ws.recv()


async def meeting_update(
    ws: Ws, call_id: str, holds: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    """The next `meeting.updated` of this meeting for which `holds` is true."""
    async with asyncio.timeout(5):
        while True:
            frame = await ws.expect("meeting.updated", call_id=call_id)
            if holds(frame):
                return frame


async def meeting_state(ws: Ws, call_id: str, user_ids: set[str]) -> dict[str, Any]:
    """The next `meeting.updated` of this meeting whose participants are these users."""
    return await meeting_update(
        ws, call_id, lambda f: {p["user_id"] for p in f["participants"]} == user_ids
    )
