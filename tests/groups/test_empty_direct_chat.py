"""Opening a direct chat with someone does not put an empty chat in their list: they hear of
it from its first message (list, sync and the socket), while its opener sees it at once."""

from __future__ import annotations

from tests.helpers import Api, Server, create_user, setup_admin


def listed(page: dict) -> list[str]:
    return [s["conversation"]["id"] for s in page["items"]]


async def synced_new(api: Api) -> list[str]:
    """Conversations a client that lists nothing yet is told about."""
    page = (await api.post("/sync", json={"cursors": {}})).json()
    return [s["conversation"]["id"] for s in page["conversations"]]


async def test_empty_direct_chat_is_shown_to_the_other_person_from_its_first_message(
    server: Server,
) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    a, b = await alice.ws(), await bob.ws()

    r = await alice.post("/conversations", json={"type": "direct", "user_id": bob.user_id})
    assert r.status_code == 201
    cid = r.json()["conversation"]["id"]
    assert (await a.expect("conversation.added"))["conversation"]["id"] == cid

    # Bob is told nothing and lists nothing while the chat is empty.
    await b.nothing("conversation.added")
    assert listed((await bob.get("/conversations")).json()) == []
    assert await synced_new(bob) == []
    # Alice, who opened it, has it.
    assert listed((await alice.get("/conversations")).json()) == [cid]
    assert await synced_new(alice) == [cid]

    # The first message reaches Bob live, and from then on the chat is his too.
    sent = await alice.send(cid, "你好")
    new = await b.expect("message.new", conversation_id=cid)
    assert new["message"]["id"] == sent["id"]
    page = (await bob.get("/conversations")).json()
    assert listed(page) == [cid]
    assert page["items"][0]["unread_count"] == 1
    assert await synced_new(bob) == [cid]
    # Both founded the chat: a reply reaches Bob live with its quote (he is not taken for
    # someone who joined later because the chat was routed to him without a frame).
    await alice.send(cid, "回复", reply_to=sent["id"])
    reply = await b.expect("message.new", conversation_id=cid, seq=2)
    assert reply["message"]["reply_to"]["text"] == "你好"
    await a.close()
    await b.close()


async def test_bob_opening_alices_empty_chat_keeps_it_and_its_sync(server: Server) -> None:
    """A client that lists the chat (its user opened it too) keeps it in sync: it is not
    reported as removed because the other person's list still leaves it out."""
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    first = await alice.post("/conversations", json={"type": "direct", "user_id": bob.user_id})
    cid = first.json()["conversation"]["id"]
    again = await bob.post("/conversations", json={"type": "direct", "user_id": alice.user_id})
    assert again.status_code == 200 and again.json()["conversation"]["id"] == cid
    page = (await bob.post("/sync", json={"cursors": {cid: 0}})).json()
    assert page["removed"] == [] and page["next_cursors"] == {cid: 0}
    # Bob's own first message shows it to both.
    await bob.send(cid, "在吗")
    assert listed((await bob.get("/conversations")).json()) == [cid]
    assert listed((await alice.get("/conversations")).json()) == [cid]
