"""Muting one member for a time (禁言) and who may @all, over HTTP and the socket: both
send paths (the batched plain one and the full one) give the same answers."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.helpers import Api, Server, Ws, create_group, create_user, problem, setup_admin
from tests.realtime.support import send_ws


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    # The organisation lets everyone @all; the group setting narrows it.
    return {"all_mention_role": "member"}


def _in(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


async def _mute(actor: Api, cid: str, target: Api, until: str | None) -> Any:
    return await actor.put(
        f"/conversations/{cid}/members/{target.user_id}/mute", json={"until": until}
    )


async def _refused_on_socket(ws: Ws, cid: str, text: str, code: str) -> dict[str, Any]:
    ref = uuid.uuid4().hex[:12]
    await ws.send(
        {
            "type": "message.send",
            "conversation_id": cid,
            "client_msg_id": ref,
            "text": text,
            "ref": ref,
        }
    )
    frame = await ws.expect("error", ref=ref)
    assert frame["code"] == code, frame
    return frame


async def test_muted_member_cannot_send_until_the_mute_ends(server: Server) -> None:
    admin = await setup_admin(server)
    owner, ann, bob, stranger = [await create_user(admin) for _ in range(4)]
    cid = await create_group(owner, ann, bob)
    await owner.put(f"/conversations/{cid}/members/{ann.user_id}/role", json={"role": "admin"})
    bob_ws = await bob.ws()

    # Only admins mute, only those below them, only into the future.
    problem(await _mute(bob, cid, ann, _in(600)), 403, "admin_required")
    problem(await _mute(ann, cid, owner, _in(600)), 403, "role_too_low")
    problem(await _mute(ann, cid, ann, _in(600)), 403, "role_too_low")
    problem(await _mute(ann, cid, bob, _in(-60)), 422, "mute_in_past")
    problem(await _mute(ann, cid, stranger, _in(600)), 422, "not_a_member")
    problem(await _mute(stranger, cid, bob, _in(600)), 404, "conversation_not_found")
    problem(
        await ann.put(f"/conversations/{cid}/members/{bob.user_id}/mute", json={"until": "soon"}),
        422,
        "invalid_request",
    )

    r = await _mute(ann, cid, bob, _in(600))
    until = r.json()["muted_until"]
    assert r.status_code == 200 and until is not None
    event = await bob_ws.expect("message.new", conversation_id=cid)
    assert event["message"]["system"]["event"] == "member_muted"
    assert event["message"]["system"]["user_id"] == bob.user_id
    assert (await bob.get(f"/conversations/{cid}")).json()["muted_until"] == until

    # Refused over HTTP and the socket, plain text and with a mention alike.
    body = {"client_msg_id": "m1", "text": "let me speak"}
    refused = problem(
        await bob.post(f"/conversations/{cid}/messages", json=body), 403, "member_muted"
    )
    assert datetime.fromisoformat(refused["muted_until"]) == datetime.fromisoformat(until)
    frame = await _refused_on_socket(bob_ws, cid, "plain words", "member_muted")
    assert datetime.fromisoformat(frame["muted_until"]) == datetime.fromisoformat(until)
    await _refused_on_socket(bob_ws, cid, f"@{owner.user['username']} hello", "member_muted")
    forward = {
        "conversation_id": cid,
        "message_ids": [(await owner.send(cid, "fwd me"))["id"]],
        "target_ids": [cid],
        "client_msg_id": "fw1",
    }
    problem(await bob.post("/forward", json=forward), 403, "member_muted")
    # Others still talk.
    await ann.send(cid, "admins and other members are not muted")

    # Unmuting lets bob talk at once; a short mute ends by itself.
    assert (await _mute(ann, cid, bob, None)).json()["muted_until"] is None
    await bob.send(cid, "thanks")
    short = (await _mute(owner, cid, bob, _in(2))).json()["muted_until"]
    left = (datetime.fromisoformat(short) - datetime.now(UTC)).total_seconds()
    await asyncio.sleep(max(0.0, left) + 0.2)  # no timer on the server: the clock ends it
    await bob.send(cid, "the mute ended by itself")
    ack = await send_ws(bob_ws, cid, "and on the socket too")
    assert ack["message"]["text"] == "and on the socket too"
    events = [
        m["system"]["event"]
        for m in (await bob.get(f"/conversations/{cid}/messages")).json()["items"]
        if m["kind"] == "system"
    ]
    assert events[-3:] == ["member_muted", "member_unmuted", "member_muted"]
    await bob_ws.close()


async def test_who_may_mention_everyone(server: Server) -> None:
    admin = await setup_admin(server)
    owner, bob = [await create_user(admin) for _ in range(2)]
    cid = await create_group(owner, bob)
    await bob.send(cid, "@all the organisation and the group allow it")
    r = await owner.patch(f"/conversations/{cid}/permissions", json={"mention_all_role": "admin"})
    assert r.json()["mention_all_role"] == "admin"
    body = {"client_msg_id": "all1", "text": "@all listen"}
    problem(
        await bob.post(f"/conversations/{cid}/messages", json=body), 403, "mention_all_forbidden"
    )
    bob_ws = await bob.ws()
    await _refused_on_socket(bob_ws, cid, "@所有人 listen", "mention_all_forbidden")
    await bob_ws.close()
    await owner.send(cid, "@all admins still may")


@pytest.mark.parametrize("settings_overrides", [{"all_mention_role": "admin"}])
async def test_the_organisation_setting_still_applies(server: Server) -> None:
    admin = await setup_admin(server)
    owner, bob = [await create_user(admin) for _ in range(2)]
    cid = await create_group(owner, bob)
    await owner.patch(f"/conversations/{cid}/permissions", json={"mention_all_role": "member"})
    body = {"client_msg_id": "all2", "text": "@all listen"}
    problem(
        await bob.post(f"/conversations/{cid}/messages", json=body), 403, "mention_all_forbidden"
    )
