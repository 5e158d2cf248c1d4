"""Who may ring whom, and that nothing about a call reaches anyone outside it."""

from __future__ import annotations

from tests.calls.support import act, direct_chat, ring
from tests.helpers import Server, create_group, create_user, setup_admin
from tests.realtime.support import closed, error


async def test_only_members_of_a_direct_chat_can_ring_it(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    eve = await create_user(admin, "eve")
    cid = await direct_chat(alice, bob)
    group = await create_group(alice, bob, eve)
    b, e = await bob.ws(), await eve.ws()

    # A stranger to the chat: 404 as for a chat that does not exist.
    await e.send({"type": "call.invite", "conversation_id": cid, "ref": "x"})
    assert (await error(e, ref="x"))["code"] == "conversation_not_found"
    # A removed member of a group is a stranger too.
    r = await alice.delete(f"/conversations/{group}/members", json={"user_ids": [eve.user_id]})
    assert r.status_code == 200, r.text
    await e.send({"type": "call.invite", "conversation_id": group, "ref": "y"})
    assert (await error(e, ref="y"))["code"] == "conversation_not_found"
    # Groups are not rung in this slice (group calls go through an SFU).
    await b.send({"type": "call.invite", "conversation_id": group, "ref": "z"})
    assert (await error(b, ref="z"))["code"] == "not_direct"
    await b.nothing("call.invite")


async def test_a_disabled_user_cannot_be_rung_and_disabling_ends_their_call(
    server: Server,
) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    carol = await create_user(admin, "carol")
    ab, ac = await direct_chat(alice, bob), await direct_chat(alice, carol)
    a, b, c = await alice.ws(), await bob.ws(), await carol.ws()

    call_id = (await ring(a, ab))["call_id"]
    await b.expect("call.invite", call_id=call_id)
    await act(b, "call.accept", call_id)
    await a.expect("call.accepted", call_id=call_id)
    assert (await admin.post(f"/users/{bob.user_id}/disable")).status_code == 200
    await closed(b)
    assert (await a.expect("call.ended", call_id=call_id))["reason"] == "completed"

    assert (await admin.post(f"/users/{carol.user_id}/disable")).status_code == 200
    await closed(c)
    await a.send({"type": "call.invite", "conversation_id": ac, "ref": "c"})
    assert (await error(a, ref="c"))["code"] == "user_not_found"


async def test_outsiders_cannot_touch_a_call_or_see_its_signals(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    eve = await create_user(admin, "eve")
    cid = await direct_chat(alice, bob)
    a, b, e = await alice.ws(), await bob.ws(), await eve.ws()
    call_id = (await ring(a, cid))["call_id"]
    await b.expect("call.invite", call_id=call_id)

    # Even knowing the call's id, eve can neither answer, end nor feed it.
    for i, type_ in enumerate(("call.accept", "call.reject", "call.hangup", "call.cancel")):
        await act(e, type_, call_id, ref=f"e{i}")
        assert (await error(e, ref=f"e{i}"))["code"] == "call_not_found"
    await act(e, "call.signal", call_id, kind="offer", sdp="v=0 evil", ref="s")
    assert (await error(e, ref="s"))["code"] == "call_not_found"

    await act(b, "call.accept", call_id)
    await a.expect("call.accepted", call_id=call_id)
    await act(a, "call.signal", call_id, kind="offer", sdp="v=0 real")
    assert (await b.expect("call.signal"))["sdp"] == "v=0 real"
    await a.nothing("call.signal")
    for type_ in ("call.invite", "call.accepted", "call.signal", "call.ended"):
        await e.nothing(type_, wait=0.1)
