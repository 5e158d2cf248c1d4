"""A guest sees only the conversations they are in and the people in them: never the
directory, no stranger's profile, card, picture or presence, no chat with a stranger."""

from __future__ import annotations

from tests.files import samples
from tests.files.support import upload
from tests.helpers import Api, Server, create_group, create_user, problem, setup_admin


async def _guest_with_a_colleague(server: Server) -> tuple[Api, Api, Api, Api]:
    """(admin, guest, alice: in a group with the guest, bob: shares nothing with them)."""
    admin = await setup_admin(server)
    guest = await create_user(admin, "vendor", role="guest")
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    await create_group(alice, guest)
    return admin, guest, alice, bob


async def test_a_guest_cannot_open_the_directory(server: Server) -> None:
    _, guest, alice, _ = await _guest_with_a_colleague(server)
    problem(await guest.get("/directory"), 403, "permission_required")
    problem(await guest.get("/departments"), 403, "permission_required")
    # The people search finds only themself and those they share a conversation with.
    listed = (await guest.get("/users", params={"limit": 50})).json()["items"]
    assert sorted(u["username"] for u in listed) == ["alice", "vendor"]
    assert (await guest.get("/users", params={"q": "bob"})).json()["items"] == []
    # Employees still find everyone, the guest too, badged external.
    found = (await alice.get("/users", params={"q": "vendor"})).json()["items"]
    assert [(u["username"], u["external"]) for u in found] == [("vendor", True)]


async def test_a_guest_sees_only_the_people_they_share_a_conversation_with(
    server: Server,
) -> None:
    admin, guest, alice, bob = await _guest_with_a_colleague(server)
    assert (await guest.get(f"/users/{alice.user_id}")).json()["username"] == "alice"
    assert (await guest.get(f"/users/{alice.user_id}/card")).status_code == 200
    assert (await guest.get(f"/users/{guest.user_id}")).status_code == 200
    for stranger in (bob, admin):
        problem(await guest.get(f"/users/{stranger.user_id}"), 404, "user_not_found")
        problem(await guest.get(f"/users/{stranger.user_id}/card"), 404, "user_not_found")


async def test_a_guest_sees_no_strangers_picture(server: Server) -> None:
    _, guest, alice, bob = await _guest_with_a_colleague(server)
    urls = {}
    for person in (alice, bob):
        picture = await upload(person, "me.png", samples.png(64, 64, (10, 200, 10)))
        r = await person.put("/users/me/avatar", json={"file_id": picture["id"]})
        urls[person.user_id] = r.json()["avatar_url"].removeprefix("/api/v1")
    assert (await guest.get(urls[alice.user_id])).status_code in (200, 503)
    problem(await guest.get(urls[bob.user_id]), 404, "file_not_found")
    assert (await alice.get(urls[bob.user_id])).status_code in (200, 503)


async def test_a_guest_cannot_start_a_chat_with_a_stranger(server: Server) -> None:
    _, guest, alice, bob = await _guest_with_a_colleague(server)
    r = await guest.post("/conversations", json={"type": "direct", "user_id": bob.user_id})
    problem(r, 404, "user_not_found")
    r = await guest.post("/conversations", json={"type": "direct", "user_id": alice.user_id})
    assert r.status_code == 201, r.text
    # An employee may open a chat with the guest.
    r = await bob.post("/conversations", json={"type": "direct", "user_id": guest.user_id})
    assert r.status_code == 201, r.text


async def test_a_guest_learns_no_strangers_presence(server: Server) -> None:
    _, guest, alice, bob = await _guest_with_a_colleague(server)
    a, b = await alice.ws(), await bob.ws()
    g = await guest.ws()
    await g.send({"type": "presence.query", "user_ids": [alice.user_id, bob.user_id], "ref": "q"})
    assert (await g.expect("presence.state", ref="q"))["online"] == [alice.user_id]
    for ws in (a, b, g):
        await ws.close()
