"""Losing a session closes its open sockets at once (4001), after telling them why."""

from __future__ import annotations

from tests.helpers import PASSWORD, Server, Ws, create_group, create_user, login, setup_admin
from tests.realtime.support import CLOSE_AUTH, closed, received, send_ws


async def _revoked_then_closed(ws: Ws, reason: str) -> dict[str, object]:
    frame = await ws.expect("session.revoked")
    assert frame["reason"] == reason
    assert ws.hello["session_id"] in frame["session_ids"]
    assert await closed(ws) == CLOSE_AUTH
    return frame


async def test_revoking_a_session_closes_only_its_sockets(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    cid = await create_group(alice, bob)
    phone = await login(server, "alice")
    desk_ws, phone_ws, phone_ws2 = await alice.ws(), await phone.ws(), await phone.ws()

    sid = phone_ws.hello["session_id"]
    assert (await alice.delete(f"/auth/sessions/{sid}")).status_code == 204
    await _revoked_then_closed(phone_ws, "revoked")
    await _revoked_then_closed(phone_ws2, "revoked")

    # The desk session is untouched and still sends and receives.
    ack = await send_ws(desk_ws, cid, "still here")
    await bob.send(cid, "hi desk")
    await desk_ws.expect("message.new", seq=ack["seq"] + 1)
    # The revoked token is dead for new sockets too.
    assert (await phone.get("/users/me")).status_code == 401
    await desk_ws.close()


async def test_logout_closes_that_sessions_sockets(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    phone = await login(server, "alice")
    desk_ws, phone_ws = await alice.ws(), await phone.ws()

    assert (await phone.post("/auth/logout")).status_code == 204
    await _revoked_then_closed(phone_ws, "revoked")
    await desk_ws.send({"type": "ping", "ref": "alive"})
    await desk_ws.expect("pong", ref="alive")
    await desk_ws.close()


async def test_password_change_closes_other_sessions_but_keeps_this_one(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    cid = await create_group(alice, bob)
    phone, tablet = await login(server, "alice"), await login(server, "alice")
    desk_ws, phone_ws, tablet_ws = await alice.ws(), await phone.ws(), await tablet.ws()

    r = await alice.post(
        "/auth/password",
        json={"current_password": PASSWORD, "new_password": "a-brand-new-passphrase"},
    )
    assert r.status_code == 204, r.text
    for ws in (phone_ws, tablet_ws):
        frame = await _revoked_then_closed(ws, "password_changed")
        assert desk_ws.hello["session_id"] not in frame["session_ids"]

    # The socket of the session that changed the password stays open and usable.
    await bob.send(cid, "still reachable?")
    await desk_ws.expect("message.new", conversation_id=cid)
    await send_ws(desk_ws, cid, "yes")
    assert all(
        desk_ws.hello["session_id"] not in f["session_ids"]
        for f in received(desk_ws, "session.revoked")
    )
    await desk_ws.close()


async def test_disabling_a_user_closes_all_their_sockets(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    cid = await create_group(alice, bob)
    phone = await login(server, "bob")
    bob_sockets = [await bob.ws(), await phone.ws()]
    a = await alice.ws()

    r = await admin.post(f"/users/{bob.user_id}/disable")
    assert r.status_code == 200, r.text
    for ws in bob_sockets:
        await _revoked_then_closed(ws, "account_disabled")
    assert (await a.expect("presence", user_id=bob.user_id))["status"] == "offline"

    # The group goes on without him; a new socket with his token is refused.
    await send_ws(a, cid, "bob is gone")
    ws = await Ws.connect(server.ws_url, None)
    await ws.send({"type": "auth", "token": bob.token})
    assert (await ws.expect("error"))["code"] == "invalid_token"
    assert await closed(ws) == CLOSE_AUTH
    await a.close()
