"""Group calls through a real Janus: three members' aiortc clients (inside Janus's network
namespace, tests/calls/janus_sfu.py) join with the tokens Parley hands out, publish, and
each receives the others' audio and video through the SFU; a member removed from the
group is kicked from the running room; when the meeting ends, the room is gone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.calls.janus_sfu import Janus, running_janus
from tests.calls.support import call_entries, meeting_state, records_seen
from tests.helpers import Server, create_group, create_user, setup_admin
from tests.realtime.support import error


@pytest.fixture(scope="module")
def janus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Janus]:
    with running_janus(tmp_path_factory.mktemp("janus")) as server:
        yield server


@pytest.fixture
def settings_overrides(janus: Janus) -> dict[str, Any]:
    return janus.parley_settings()


def feed(joined: dict[str, Any]) -> int:
    return int(joined["janus"]["feed_id"])


@pytest.mark.parametrize("backend", ["sqlite"])  # media does not touch the database
async def test_three_members_meet_through_janus_and_a_removed_member_is_kicked(
    server: Server, janus: Janus
) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    carol = await create_user(admin, "carol")
    cid = await create_group(alice, bob, carol)
    a, b, c = await alice.ws(), await bob.ws(), await carol.ws()

    await a.send({"type": "meeting.start", "conversation_id": cid, "media": "video", "ref": "s"})
    joined_a = await a.expect("meeting.joined", ref="s")
    call_id, room = joined_a["call_id"], joined_a["janus"]["room"]
    # Every member hears of it (the "join" banner); the token goes to alice's device only.
    for ws in (b, c):
        started = await ws.expect("meeting.started", call_id=call_id)
        assert started["by"] == alice.user_id and "janus" not in started
    await b.send({"type": "meeting.join", "call_id": call_id, "ref": "jb"})
    joined_b = await b.expect("meeting.joined", ref="jb")
    await c.send({"type": "meeting.join", "call_id": call_id, "ref": "jc"})
    joined_c = await c.expect("meeting.joined", ref="jc")
    tokens = {j["janus"]["token"] for j in (joined_a, joined_b, joined_c)}
    assert len(tokens) == 3  # one token per participant
    assert await janus.room_exists(room)

    async with janus.peer() as pa, janus.peer() as pb, janus.peer() as pc:
        peers = {"a": (pa, joined_a), "b": (pb, joined_b), "c": (pc, joined_c)}
        for peer, joined in peers.values():
            assert await peer.publish(joined) == {"ok": True}
        for name, (peer, _) in peers.items():
            others = [feed(j) for other, (_, j) in peers.items() if other != name]
            assert await peer.do("subscribe", feeds=others) == {"ok": True}
        # Each receives the two others' audio and video, through Janus.
        for name, (peer, _) in peers.items():
            others = [feed(j) for other, (_, j) in peers.items() if other != name]
            assert await peer.do("frames", feeds=others) == {"ok": True}

        # A token admits one join: once its holder is in, it admits nobody else.
        async with janus.peer() as intruder:
            copy = {**joined_b, "janus": {**joined_b["janus"], "feed_id": 4242}}
            assert "not in the allowed list" in (await intruder.publish(copy))["error"]

        # Carol is removed from the group: she is out of the room at once.
        r = await alice.delete(f"/conversations/{cid}/members", json={"user_ids": [carol.user_id]})
        assert r.status_code == 200, r.text
        left = await c.expect("meeting.left", call_id=call_id)
        assert left["reason"] == "removed_from_conversation"
        assert (await pc.do("kicked"))["ok"]
        await meeting_state(a, call_id, {alice.user_id, bob.user_id})
        # Her subscriptions ended with her: no more of the others' media reaches her.
        assert (await pc.do("flowing"))["flowing"] is False
        # Her token admits her no more, nor does anything else she knows.
        async with janus.peer() as again:
            refused = await again.publish(joined_c)
            assert "not in the allowed list" in refused["error"]
        # And Parley gives her none: she is no longer a member.
        await c.send({"type": "meeting.join", "call_id": call_id, "ref": "again"})
        assert (await error(c, ref="again"))["code"] == "call_not_found"
        # Alice and Bob still hear each other.
        assert (await pa.do("flowing"))["flowing"] is True

        await a.send({"type": "meeting.end", "call_id": call_id})
        ended = await b.expect("meeting.ended", call_id=call_id)
        assert ended["reason"] == "ended_by_host"
        assert (await pb.do("kicked"))["ok"]
    assert not await janus.room_exists(room)
    await c.nothing("meeting.ended", wait=0.1)

    await records_seen(b, cid, 1)
    [record] = await call_entries(alice, cid)
    assert record["kind"] == "group" and record["call_id"] == call_id
    assert record["participant_ids"] == [alice.user_id, bob.user_id, carol.user_id]
    for ws in (a, b, c):
        await ws.close()
