"""Signing a socket in: the auth frame, the browser cookie, and what is refused."""

from __future__ import annotations

from tests.helpers import Server, create_group, create_user, setup_admin
from tests.realtime.support import CLOSE_AUTH, closed, connect, cookie_headers, error, send_ws


async def test_auth_frame_gets_hello_and_a_usable_socket(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    ws = await alice.ws()
    assert ws.hello["user_id"] == alice.user_id
    assert ws.hello["session_id"]
    assert ws.hello["heartbeat_seconds"] > 0
    # Nothing about the machine: no host name, process id or node name (issue 13).
    assert set(ws.hello) == {"type", "user_id", "session_id", "server_time", "heartbeat_seconds"}
    assert server.app.state.runtime.settings.node_id not in str(ws.hello)
    await ws.send({"type": "ping", "ref": "p1"})
    pong = await ws.expect("pong")
    assert pong["ref"] == "p1"
    await ws.close()


async def test_bad_or_revoked_token_is_refused_with_4001(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)

    ws = await connect(server, None)
    await ws.send({"type": "auth", "token": "not-a-real-token"})
    assert (await error(ws))["code"] == "invalid_token"
    assert await closed(ws) == CLOSE_AUTH

    token = alice.token
    assert (await alice.post("/auth/logout")).status_code == 204
    ws = await connect(server, None)
    await ws.send({"type": "auth", "token": token})
    assert (await error(ws))["code"] == "invalid_token"
    assert await closed(ws) == CLOSE_AUTH
    assert not [f for f in ws.frames if f["type"] == "hello"]


async def test_first_frame_must_be_auth(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    cid = await create_group(alice)

    ws = await connect(server, None)
    await ws.send(
        {"type": "message.send", "conversation_id": cid, "client_msg_id": "x", "text": "hi"}
    )
    assert (await error(ws))["code"] == "auth_required"
    assert await closed(ws) == CLOSE_AUTH

    ws = await connect(server, None)
    await ws.socket.send("this is not json")
    assert (await error(ws))["code"] == "malformed_frame"
    assert await closed(ws) == CLOSE_AUTH

    # Nothing was sent on the refused sockets.
    history = (await alice.get(f"/conversations/{cid}/messages")).json()["items"]
    assert [m["kind"] for m in history] == ["system"]


async def test_second_auth_frame_is_an_error_not_a_switch(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    ws = await alice.ws()
    await ws.send({"type": "auth", "token": admin.token})
    assert (await error(ws))["code"] == "already_authenticated"
    await ws.send({"type": "ping"})
    await ws.expect("pong")
    await ws.close()


async def test_browser_cookie_with_same_origin_authenticates(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    bob = await create_user(admin)
    cid = await create_group(alice, bob)

    ws = await connect(server, None, additional_headers=cookie_headers(server, alice.token))
    hello = await ws.expect("hello")
    assert hello["user_id"] == alice.user_id
    ack = await send_ws(ws, cid, "from the browser")
    assert ack["seq"] == 2 and not ack["duplicate"]
    await ws.close()


async def test_cookie_from_a_foreign_origin_is_ignored(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    headers = cookie_headers(server, alice.token, origin="https://evil.example")

    ws = await connect(server, None, additional_headers=headers)
    # No hello on the strength of the cookie: the socket still waits for an auth frame.
    await ws.send({"type": "ping"})
    assert (await error(ws))["code"] == "auth_required"
    assert await closed(ws) == CLOSE_AUTH
    assert not [f for f in ws.frames if f["type"] == "hello"]

    # Without any Origin (not a browser) the cookie does not count either.
    ws = await connect(server, None, additional_headers={"Cookie": f"parley_session={alice.token}"})
    await ws.send({"type": "ping"})
    assert (await error(ws))["code"] == "auth_required"
    assert await closed(ws) == CLOSE_AUTH


async def test_revoked_cookie_is_refused(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    token = alice.token
    assert (await alice.post("/auth/logout")).status_code == 204
    ws = await connect(server, None, additional_headers=cookie_headers(server, token))
    assert (await error(ws))["code"] == "invalid_token"
    assert await closed(ws) == CLOSE_AUTH
