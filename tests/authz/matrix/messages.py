"""Messages: send, history, read state, edits, recalls, reactions, pins, favourites,
mentions, forwarding, search."""

from __future__ import annotations

import uuid

from tests.authz.builders import body, msg_text
from tests.authz.callers import IN_GROUP
from tests.authz.table import BOTH, member_of, owned, route, signed_in
from tests.authz.world import Call, Req

CID = "/conversations/{conversation_id}"
MSG = CID + "/messages/{message_id}"
# Who can have a message of their own in the group: its members, and the removed member
# (sent before the removal).
AUTHORS = IN_GROUP | {"removed"}


async def fresh_message(call: Call) -> Req:
    return Req(params={"message_id": await call.fresh_message()})


async def edit(call: Call) -> Req:
    return Req(params={"message_id": await call.fresh_message()}, json={"text": "edited"})


async def pinned_message(call: Call) -> Req:
    w = call.world
    mid = await w.send(w.apis["group_owner"], w.group, "to unpin")
    r = await w.apis["group_owner"].post(f"/conversations/{w.group}/messages/{mid}/pin")
    assert r.status_code == 200, r.text
    return Req(params={"message_id": mid})


async def favorite(call: Call) -> Req:
    """A message the caller saved (when they can: members), to take out again."""
    w = call.world
    mid = await w.send(w.apis["group_owner"], w.group)
    r = await call.api.post("/favorites", json={"message_id": mid})
    assert r.status_code in (200, 201, 204, 401, 403, 404), r.text
    return Req(params={"message_id": mid})


def the_message(call: Call) -> dict[str, str]:
    return {"message_id": call.world.message}


def forward(call: Call) -> dict[str, object]:
    """Own: into the group it came from. Other: into two other people's direct chat."""
    w = call.world
    target = w.group if call.own == "own" else w.direct
    return {
        "conversation_id": w.group,
        "message_ids": [w.message],
        "target_ids": [target],
        "client_msg_id": uuid.uuid4().hex,
    }


async def search(call: Call) -> Req:
    narrow = {} if call.own == "own" else {"conversation_id": call.world.group}
    return Req(query={"q": "hello", **narrow})


SPECS = [
    route("POST", CID + "/messages", member_of(201), build=body(msg_text)),
    route("GET", CID + "/messages", member_of()),
    route("POST", CID + "/read", member_of(), build=body({"seq": 1})),
    route("GET", MSG + "/receipts", member_of()),
    route("GET", "/sync", signed_in()),
    route("POST", "/sync", signed_in(), build=body({})),
    # Only the sender edits; a member gets 403 for someone else's message.
    route(
        "PATCH", MSG, owned(member_of(), member_of(403)), ownership=BOTH, owners=AUTHORS, build=edit
    ),
    route("GET", MSG + "/edits", member_of()),
    # The sender recalls their own; a group admin or owner erases anyone's.
    route(
        "POST",
        MSG + "/recall",
        owned(member_of(), member_of(role="admin")),
        ownership=BOTH,
        owners=AUTHORS,
        build=fresh_message,
    ),
    route("PUT", MSG + "/reactions/{emoji}", member_of()),
    route("DELETE", MSG + "/reactions/{emoji}", member_of()),
    route("POST", MSG + "/pin", member_of(role="admin"), build=fresh_message),
    route("DELETE", MSG + "/pin", member_of(role="admin"), build=pinned_message),
    route("GET", CID + "/pins", member_of()),
    route("GET", "/favorites", signed_in()),
    route("POST", "/favorites", member_of(201), build=body(the_message)),
    route("DELETE", "/favorites/{message_id}", member_of(204), build=favorite),
    route("GET", "/mentions", signed_in()),
    route(
        "POST",
        "/forward",
        owned(member_of(201), member_of(404, low=404)),
        ownership=BOTH,
        build=body(forward),
    ),
    route("GET", "/messages/{message_id}", member_of()),
    # Own: everything the caller may read. Other: narrowed to the world's group.
    route("GET", "/search", owned(signed_in(), member_of()), ownership=BOTH, build=search),
]
