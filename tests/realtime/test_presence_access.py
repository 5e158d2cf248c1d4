"""Presence is told only about people who share a conversation with the caller; anyone
else gets exactly the answer an unknown id gets (left out of `online`), on the socket and
over HTTP alike."""

from __future__ import annotations

import uuid

from tests.helpers import Api, Server, create_group, create_user, problem, setup_admin


async def _online_http(api: Api, *user_ids: str) -> list[str]:
    r = await api.get("/presence", params={"user_ids": list(user_ids)})
    assert r.status_code == 200, r.text
    return list(r.json()["online"])


async def test_presence_of_strangers_is_not_told(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    eve = await create_user(admin, "eve")  # shares no conversation with alice or bob
    await create_group(alice, bob)
    sockets = [await bob.ws(), await eve.ws(), await alice.ws()]
    unknown = str(uuid.uuid4())

    # Alice: bob (a fellow member) and herself are told; eve is answered like an unknown id.
    assert await _online_http(alice, bob.user_id, eve.user_id, unknown, alice.user_id) == sorted(
        [alice.user_id, bob.user_id]
    )
    assert await _online_http(alice, eve.user_id) == await _online_http(alice, unknown) == []
    a = sockets[2]
    await a.send({"type": "presence.query", "user_ids": [eve.user_id, bob.user_id], "ref": "q"})
    assert (await a.expect("presence.state", ref="q"))["online"] == [bob.user_id]

    # Eve, online herself, learns nothing about the others, on either path.
    e = sockets[1]
    everyone = [alice.user_id, bob.user_id, admin.user_id]
    assert await _online_http(eve, *everyone) == []
    await e.send({"type": "presence.query", "user_ids": everyone, "ref": "e"})
    assert (await e.expect("presence.state", ref="e"))["online"] == []
    await e.send({"type": "presence.query", "user_ids": [eve.user_id], "ref": "self"})
    assert (await e.expect("presence.state", ref="self"))["online"] == [eve.user_id]
    for ws in sockets:
        await ws.close()


async def test_leaving_the_last_shared_conversation_ends_it(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    cid = await create_group(alice, bob)
    b = await bob.ws()
    assert await _online_http(alice, bob.user_id) == [bob.user_id]
    r = await alice.delete(f"/conversations/{cid}/members", json={"user_ids": [bob.user_id]})
    assert r.status_code in (200, 204), r.text
    assert await _online_http(alice, bob.user_id) == []
    await b.close()


async def test_presence_needs_a_session_and_valid_ids(server: Server) -> None:
    admin = await setup_admin(server)
    problem(
        await server.client().get("/presence", params={"user_ids": [admin.user_id]}),
        401,
        "unauthorized",
    )
    problem(
        await admin.get("/presence", params={"user_ids": ["not-an-id"]}), 422, "invalid_request"
    )
