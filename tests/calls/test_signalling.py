"""1:1 call signalling over real sockets: ringing every device, first answer wins, decline,
cancel, busy, no answer, hang-up, signals relayed only between the two ends, and the call
records written into the conversation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.calls.support import act, call_entries, direct_chat, records_seen, ring, unread
from tests.helpers import Server, create_user, login, setup_admin
from tests.realtime.support import error


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"call_ring_seconds": 1.5}


async def test_invite_rings_every_device_first_accept_wins_then_signals_and_hangup(
    server: Server,
) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    bob_phone = await login(server, "bob")
    cid = await direct_chat(alice, bob)
    a, b1, b2 = await alice.ws(), await bob.ws(), await bob_phone.ws()

    call = await ring(a, cid, "audio")
    call_id = call["call_id"]
    assert (call["callee_id"], call["media"]) == (bob.user_id, "audio")
    for ws in (b1, b2):
        invite = await ws.expect("call.invite", call_id=call_id)
        assert (invite["caller_id"], invite["conversation_id"]) == (alice.user_id, cid)

    await act(b2, "call.accept", call_id)
    await a.expect("call.accepted", call_id=call_id)
    await b2.expect("call.accepted", call_id=call_id)
    # The laptop stops ringing, and accepting there now is too late: the phone answered.
    assert (await b1.expect("call.ended", call_id=call_id))["reason"] == "answered_elsewhere"
    await act(b1, "call.accept", call_id)
    assert (await error(b1))["code"] == "call_not_ringing"

    # Signals go to the other end only: the phone that answered, not bob's laptop.
    await act(a, "call.signal", call_id, kind="offer", sdp="v=0 offer")
    offer = await b2.expect("call.signal", call_id=call_id)
    assert (offer["kind"], offer["sdp"], offer["from_user_id"]) == (
        "offer",
        "v=0 offer",
        alice.user_id,
    )
    candidate = {"candidate": "candidate:1 1 udp 1 127.0.0.1 5000 typ host", "sdpMid": "0"}
    await act(b2, "call.signal", call_id, kind="candidate", candidate=candidate)
    got = await a.expect("call.signal", call_id=call_id, kind="candidate")
    assert got["candidate"]["candidate"] == candidate["candidate"]
    # An ICE restart: a new offer within the live call, relayed the same way.
    await act(b2, "call.signal", call_id, kind="offer", sdp="v=0 restart")
    assert (await a.expect("call.signal", call_id=call_id, kind="offer"))["sdp"] == "v=0 restart"
    # The laptop that did not answer can neither signal nor hang up.
    await act(b1, "call.signal", call_id, kind="answer", sdp="v=0 intruder")
    assert (await error(b1))["code"] == "not_in_call"
    await b1.nothing("call.signal")

    await act(b2, "call.hangup", call_id)
    for ws in (a, b2):
        assert (await ws.expect("call.ended", call_id=call_id))["reason"] == "completed"
    await records_seen(a, cid, 1)
    [record] = await call_entries(alice, cid)
    assert record["outcome"] == "completed"
    assert (record["caller_id"], record["callee_id"], record["media"]) == (
        alice.user_id,
        bob.user_id,
        "audio",
    )
    assert record["answered_at"] is not None and record["duration_seconds"] >= 0
    assert await unread(bob, cid) == 0  # an answered call is nothing to catch up on
    # The record reached everyone live, as an entry of the log.
    await records_seen(b1, cid, 1)


async def test_decline_cancel_and_no_answer_end_the_ringing_everywhere(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    cid = await direct_chat(alice, bob)
    a, b = await alice.ws(), await bob.ws()

    declined = (await ring(a, cid))["call_id"]
    await b.expect("call.invite", call_id=declined)
    await act(b, "call.reject", declined)
    assert (await a.expect("call.ended", call_id=declined))["reason"] == "declined"

    cancelled = (await ring(a, cid))["call_id"]
    await b.expect("call.invite", call_id=cancelled)
    await act(a, "call.cancel", cancelled)
    assert (await b.expect("call.ended", call_id=cancelled))["reason"] == "cancelled"

    missed = (await ring(a, cid))["call_id"]
    await b.expect("call.invite", call_id=missed)
    # Nobody answers: after PARLEY_CALL_RING_SECONDS both sides hear it was missed.
    assert (await b.expect("call.ended", call_id=missed))["reason"] == "missed"
    assert (await a.expect("call.ended", call_id=missed))["reason"] == "missed"
    await act(b, "call.accept", missed)
    assert (await error(b))["code"] == "call_not_found"

    await records_seen(b, cid, 3)
    outcomes = [r["outcome"] for r in await call_entries(bob, cid)]
    assert outcomes == ["declined", "cancelled", "missed"]
    assert await unread(bob, cid) == 1  # the missed call
    assert await unread(alice, cid) == 0  # her own call records are not news to her


async def test_busy_callee_and_caller_already_in_a_call(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    carol = await create_user(admin, "carol")
    ab, cb, ac = (
        await direct_chat(alice, bob),
        await direct_chat(carol, bob),
        await direct_chat(alice, carol),
    )
    a, b, c = await alice.ws(), await bob.ws(), await carol.ws()
    call_id = (await ring(a, ab))["call_id"]
    await b.expect("call.invite", call_id=call_id)
    await act(b, "call.accept", call_id)
    await a.expect("call.accepted")

    await c.send({"type": "call.invite", "conversation_id": cb, "ref": "busy"})
    assert (await c.expect("call.ended", ref="busy"))["reason"] == "busy"
    await b.nothing("call.invite")
    await records_seen(c, cb, 1)
    assert [r["outcome"] for r in await call_entries(carol, cb)] == ["busy"]

    await a.send({"type": "call.invite", "conversation_id": ac, "ref": "again"})
    assert (await error(a, ref="again"))["code"] == "already_in_call"
    await c.nothing("call.invite")

    # The caller's socket closing ends the call; both are free again.
    await a.close()
    assert (await b.expect("call.ended", call_id=call_id))["reason"] == "completed"
    again = await ring(c, cb)
    await b.expect("call.invite", call_id=again["call_id"])
