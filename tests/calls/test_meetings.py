"""Meetings (group calls) over real sockets, with a real Janus managing the rooms: who may
start, see and join one, the host's powers, raised hands, leaving, and the call record.
The media itself is in test_meetings_media.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.calls.janus_sfu import Janus, running_janus
from tests.calls.support import (
    call_entries,
    direct_chat,
    meeting_state,
    meeting_update,
    records_seen,
)
from tests.helpers import Api, Server, Ws, create_group, create_user, problem, setup_admin
from tests.realtime.support import error


@pytest.fixture(scope="module")
def janus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Janus]:
    with running_janus(tmp_path_factory.mktemp("janus")) as server:
        yield server


@pytest.fixture
def settings_overrides(janus: Janus) -> dict[str, Any]:
    return janus.parley_settings()


async def start(ws: Ws, cid: str) -> dict[str, Any]:
    await ws.send({"type": "meeting.start", "conversation_id": cid, "ref": "start"})
    return await ws.expect("meeting.joined", ref="start")


async def join(ws: Ws, call_id: str) -> dict[str, Any]:
    await ws.send({"type": "meeting.join", "call_id": call_id, "ref": "join"})
    return await ws.expect("meeting.joined", ref="join")


async def refused(ws: Ws, frame: dict[str, Any]) -> str:
    await ws.send({**frame, "ref": "no"})
    return str((await error(ws, ref="no"))["code"])


def flag(state: dict[str, Any], who: Api, name: str) -> bool:
    [value] = [p[name] for p in state["participants"] if p["user_id"] == who.user_id]
    return bool(value)


async def team(server: Server) -> tuple[Api, Api, Api, Api, str]:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    carol = await create_user(admin, "carol")
    return admin, alice, bob, carol, await create_group(alice, bob, carol)


async def test_only_members_see_start_or_join_a_meeting(server: Server, janus: Janus) -> None:
    admin, alice, bob, _carol, cid = await team(server)
    eve = await create_user(admin, "eve")
    a, e = await alice.ws(), await eve.ws()

    # A stranger can neither start one in the group nor learn of one there.
    assert await refused(e, {"type": "meeting.start", "conversation_id": cid}) == (
        "conversation_not_found"
    )
    problem(await eve.get(f"/calls/meetings/{cid}"), 404, "conversation_not_found")
    r = await bob.get(f"/calls/meetings/{cid}")
    assert r.json() == {"available": True, "meeting": None}

    joined = await start(a, cid)
    call_id = joined["call_id"]
    assert joined["janus"]["url"] == janus.inner_url
    shown = (await bob.get(f"/calls/meetings/{cid}")).json()["meeting"]
    assert shown["call_id"] == call_id and shown["host_id"] == alice.user_id
    assert "token" not in str(shown)  # the list shows who is in, never their tokens
    # Knowing the call's id gives a stranger nothing: no token, no way in, no frames.
    for frame in ("meeting.join", "meeting.leave", "meeting.end"):
        assert await refused(e, {"type": frame, "call_id": call_id}) == "call_not_found"
    await e.nothing("meeting.joined", wait=0.1)
    await e.nothing("meeting.updated", wait=0.1)

    # Meetings are held in groups; a direct chat has 1:1 calls.
    dm = await direct_chat(alice, bob)
    assert await refused(a, {"type": "meeting.start", "conversation_id": dm}) == "not_a_group"
    # A second start in the group joins the running meeting instead of opening another.
    b = await bob.ws()
    again = await start(b, cid)
    assert again["call_id"] == call_id
    assert again["janus"]["room"] == joined["janus"]["room"]
    assert again["janus"]["token"] != joined["janus"]["token"]


async def test_the_host_mutes_removes_and_ends_for_all(server: Server, janus: Janus) -> None:
    _admin, alice, bob, carol, cid = await team(server)
    a, b, c = await alice.ws(), await bob.ws(), await carol.ws()
    joined = await start(a, cid)
    call_id, room = joined["call_id"], joined["janus"]["room"]
    await join(b, call_id)
    await join(c, call_id)
    await meeting_state(a, call_id, {alice.user_id, bob.user_id, carol.user_id})

    # Only the host runs the meeting.
    for frame in (
        {"type": "meeting.mute", "user_id": carol.user_id},
        {"type": "meeting.remove", "user_id": carol.user_id},
        {"type": "meeting.end"},
    ):
        assert await refused(b, {**frame, "call_id": call_id}) == "not_host"

    await b.send({"type": "meeting.hand", "call_id": call_id, "raised": True})
    await meeting_update(c, call_id, lambda f: flag(f, bob, "hand_raised"))

    await c.send({"type": "meeting.share", "call_id": call_id, "sharing": True})
    await meeting_update(b, call_id, lambda f: flag(f, carol, "sharing"))

    await a.send({"type": "meeting.mute", "call_id": call_id, "user_id": bob.user_id})
    assert (await b.expect("meeting.mute", call_id=call_id))["by"] == alice.user_id
    await meeting_update(c, call_id, lambda f: flag(f, bob, "muted_by_host"))
    await c.nothing("meeting.mute", wait=0.1)
    await b.send({"type": "meeting.unmute", "call_id": call_id})
    await meeting_update(c, call_id, lambda f: not flag(f, bob, "muted_by_host"))
    await a.send({"type": "meeting.remove", "call_id": call_id, "user_id": carol.user_id})
    assert (await c.expect("meeting.left", call_id=call_id))["reason"] == "removed_by_host"
    await meeting_state(b, call_id, {alice.user_id, bob.user_id})
    # Removed from the meeting (not the group): she may not come back to it.
    assert await refused(c, {"type": "meeting.join", "call_id": call_id}) == (
        "removed_from_meeting"
    )

    await a.send({"type": "meeting.end", "call_id": call_id})
    for ws in (a, b, c):  # carol is still in the group: she sees the banner go
        assert (await ws.expect("meeting.ended", call_id=call_id))["reason"] == "ended_by_host"
    assert not await janus.room_exists(room)
    assert (await bob.get(f"/calls/meetings/{cid}")).json()["meeting"] is None
    assert await refused(b, {"type": "meeting.join", "call_id": call_id}) == "call_not_found"

    await records_seen(a, cid, 1)
    [record] = await call_entries(alice, cid)
    assert (record["kind"], record["caller_id"], record["outcome"]) == (
        "group",
        alice.user_id,
        "completed",
    )
    assert record["participant_ids"] == [alice.user_id, bob.user_id, carol.user_id]


async def test_the_last_to_leave_ends_it_and_the_host_passes_on(
    server: Server, janus: Janus
) -> None:
    _admin, alice, bob, carol, cid = await team(server)
    a, b, c = await alice.ws(), await bob.ws(), await carol.ws()
    joined = await start(a, cid)
    call_id, room = joined["call_id"], joined["janus"]["room"]
    await join(b, call_id)

    # The host leaves: bob, there longest, runs the meeting now.
    await a.send({"type": "meeting.leave", "call_id": call_id})
    state = await meeting_state(c, call_id, {bob.user_id})
    assert state["host_id"] == bob.user_id
    assert await refused(a, {"type": "meeting.leave", "call_id": call_id}) == "not_in_meeting"
    # Closing the socket is leaving too; with nobody left the meeting ends.
    await b.close()
    ended = await c.expect("meeting.ended", call_id=call_id)
    assert ended["reason"] == "empty"
    assert not await janus.room_exists(room)
    await records_seen(c, cid, 1)


async def test_leaving_the_group_or_being_disabled_takes_you_out(
    server: Server, janus: Janus
) -> None:
    admin, alice, bob, carol, cid = await team(server)
    a, b, c = await alice.ws(), await bob.ws(), await carol.ws()
    call_id = (await start(a, cid))["call_id"]
    await join(b, call_id)
    await join(c, call_id)

    # Bob leaves the group: he is out of its meeting too.
    assert (await bob.post(f"/conversations/{cid}/leave")).status_code == 204
    assert (await b.expect("meeting.left", call_id=call_id))["reason"] == (
        "removed_from_conversation"
    )
    await meeting_state(a, call_id, {alice.user_id, carol.user_id})
    # Carol's account is disabled: her socket closes, and she is out of the meeting.
    assert (await admin.post(f"/users/{carol.user_id}/disable")).status_code == 200
    await meeting_state(a, call_id, {alice.user_id})
