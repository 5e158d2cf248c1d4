from __future__ import annotations

from typing import Any

from tests.helpers import Api, Server, create_group, create_user, setup_admin


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
    summaries: list[tuple[str, int, int, str]] = []  # conversation, cursor, unread, last
    rounds = 0
    while True:
        rounds += 1
        q = ",".join(f"{c}:{s}" for c, s in cursors.items())
        page = (await bob.get("/sync", params={"cursors": q, "limit": 4})).json()
        assert len(page["events"]) <= 4
        for e in page["events"]:
            got[e["conversation_id"]].append(e["id"])
        cursors = page["next_cursors"]
        for c in page["conversations"]:
            cid = c["conversation"]["id"]
            last = c["last_message"]
            summaries.append((cid, cursors[cid], c["unread_count"], last["id"]))
            # The preview is the message as history shows it (here parsed back from the
            # page just rendered for this sync, rendered.py).
            history = (await bob.get(f"/conversations/{cid}/messages", params={"after": 7})).json()
            assert history["items"][-1] == last
        if not page["has_more"]:
            break
    assert got == sent and rounds >= 4
    # Each conversation's summary came once, with the page that finished it.
    assert sorted(summaries) == sorted([(g1, 8, 7, sent[g1][-1]), (g2, 8, 7, sent[g2][-1])])
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


async def _sync(api: Api, cursors: dict[str, int]) -> dict[str, Any]:
    r = await api.post("/sync", json={"cursors": cursors})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json", r.text
    return dict(r.json())


async def test_members_share_sync_pages_and_see_every_later_change(server: Server) -> None:
    """Pages of one conversation are rendered once for all its members (rendered.py): the
    test checks what a reader sees, whoever asked first and whatever changed since."""
    admin = await setup_admin(server)
    alice, bob, carol = [await create_user(admin) for _ in range(3)]
    group = await create_group(alice, bob, carol)
    first = await alice.send(group, "周一例会")
    second = await alice.send(group, "请准备材料", reply_to=first["id"])

    seen_by_bob = await _sync(bob, {group: 1})
    seen_by_carol = await _sync(carol, {group: 1})
    assert seen_by_bob["events"] == seen_by_carol["events"]
    assert [e["id"] for e in seen_by_bob["events"]] == [first["id"], second["id"]]
    # The same entries as the history endpoint shows them (same JSON shape).
    history = (await bob.get(f"/conversations/{group}/messages", params={"after": 1})).json()
    assert seen_by_bob["events"] == history["items"]

    r = await alice.put(f"/conversations/{group}/messages/{first['id']}/reactions/👍")
    assert r.status_code == 200, r.text
    await alice.patch(f"/conversations/{group}/messages/{second['id']}", json={"text": "改过"})
    again = {e["id"]: e for e in (await _sync(carol, {group: 1}))["events"]}
    assert [(r["emoji"], r["count"]) for r in again[first["id"]]["reactions"]] == [("👍", 1)]
    assert again[second["id"]]["text"] == "改过" and again[second["id"]]["edited_at"]

    r = await alice.post(f"/conversations/{group}/messages/{first['id']}/recall")
    assert r.status_code == 200, r.text
    after_recall = {e["id"]: e for e in (await _sync(bob, {group: 1}))["events"]}
    assert after_recall[first["id"]]["recalled"] and after_recall[first["id"]]["text"] == ""
    assert after_recall[second["id"]]["reply_to"]["recalled"] is True

    # A member added now reads from the entry that added them, never the history before.
    dave = await create_user(admin)
    r = await alice.post(f"/conversations/{group}/members", json={"user_ids": [dave.user_id]})
    assert r.status_code == 200, r.text
    joined = await _sync(dave, {group: 0})
    assert joined["events"] and all(e["kind"] == "system" for e in joined["events"])
    assert {first["id"], second["id"]}.isdisjoint(e["id"] for e in joined["events"])
