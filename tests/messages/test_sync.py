from __future__ import annotations

from tests.helpers import Server, create_group, create_user, setup_admin


async def test_sync_returns_missed_entries_in_pages(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    bob = await create_user(admin)
    g1 = await create_group(alice, bob, name="one")
    g2 = await create_group(alice, bob, name="two")
    cursors = {g1: 1, g2: 1}  # bob has seen the "created" events
    sent = {g1: [], g2: []}
    for i in range(7):
        for g in (g1, g2):
            sent[g].append((await alice.send(g, f"{g[:4]}-{i}"))["id"])
    got: dict[str, list[str]] = {g1: [], g2: []}
    rounds = 0
    while True:
        rounds += 1
        q = ",".join(f"{c}:{s}" for c, s in cursors.items())
        page = (await bob.get("/sync", params={"cursors": q, "limit": 4})).json()
        assert len(page["events"]) <= 4
        for e in page["events"]:
            got[e["conversation_id"]].append(e["id"])
        cursors = page["next_cursors"]
        if not page["has_more"]:
            break
    assert got == sent and rounds >= 4
    # Nothing new: an empty answer.
    q = ",".join(f"{c}:{s}" for c, s in cursors.items())
    page = (await bob.get("/sync", params={"cursors": q})).json()
    assert page["events"] == [] and page["conversations"] == [] and not page["has_more"]


async def test_sync_tells_about_conversations_the_client_does_not_know(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    bob = await create_user(admin)
    known = await create_group(alice, bob, name="known")
    new = await create_group(alice, bob, name="new")
    await alice.send(new, "hi")
    page = (await bob.post("/sync", json={"cursors": {known: 1}})).json()
    assert page["events"] == []
    assert [c["conversation"]["id"] for c in page["conversations"]] == [new]
    assert page["conversations"][0]["unread_count"] == 1
    page = (await bob.post("/sync", json={"cursors": {known: 1, new: 0}})).json()
    assert [e["seq"] for e in page["events"]] == [1, 2]
    assert page["next_cursors"] == {known: 1, new: 2}
