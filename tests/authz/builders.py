"""Request builders shared by the matrix files: the default (path parameters by name,
from the world) and the throwaway objects rows that change things act on."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tests.authz.world import Call, Req

_PARAM = re.compile(r"{(\w+)}")


def defaults(call: Call, path: str, given: dict[str, Any]) -> dict[str, Any]:
    """A valid value for each path parameter: the world's group, message, file; for
    `user_id` the caller themself ("own") or another person."""
    w = call.world
    values: dict[str, Any] = {
        "conversation_id": w.group,
        "message_id": w.message,
        "file_id": w.file,
        "emoji": "👍",
        "name": "192",
        "user_id": call.me if call.own == "own" else w.id("peer"),
        "department_id": w.department,
        "group_id": w.group,
        "token": w.invitation,
    }
    return {name: given.get(name) or values[name] for name in _PARAM.findall(path)}


def body(json: Any = None, **query: Any) -> Callable[[Call], Any]:
    """A builder with a fixed JSON body (a callable gets the Call) and query string."""

    async def build(call: Call) -> Req:
        value = json(call) if callable(json) else json
        return Req(json=value, query=query or None)

    return build


async def fresh_user_id(call: Call, in_group: bool = False) -> str:
    """A new member account (not signed in); optionally added to the world's group."""
    w = call.world
    user_id = w.ids[await w.account()]
    if in_group:
        r = await w.apis["group_owner"].post(
            f"/conversations/{w.group}/members", json={"user_ids": [user_id]}
        )
        assert r.status_code == 200, r.text
    return user_id


async def fresh_group_id(call: Call) -> str:
    """A new group shaped like the world's (see Call.fresh_group)."""
    return await call.fresh_group()


def msg_text(call: Call) -> dict[str, Any]:
    import uuid

    return {"client_msg_id": uuid.uuid4().hex, "text": f"from {call.caller}"}
