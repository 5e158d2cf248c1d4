from __future__ import annotations

from tests.helpers import Server, create_group, create_user, problem, setup_admin


async def test_history_pages_both_ways_without_gaps(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    cid = await create_group(alice)
    for i in range(25):
        await alice.send(cid, f"m{i}")
    newest = (await alice.get(f"/conversations/{cid}/messages", params={"limit": 10})).json()
    assert [m["seq"] for m in newest["items"]] == list(range(17, 27)) and newest["has_more"]
    seqs = [m["seq"] for m in newest["items"]]
    before = newest["items"][0]["seq"]
    while True:
        page = (
            await alice.get(
                f"/conversations/{cid}/messages", params={"before": before, "limit": 10}
            )
        ).json()
        seqs = [m["seq"] for m in page["items"]] + seqs
        if not page["has_more"]:
            break
        before = page["items"][0]["seq"]
    assert seqs == list(range(1, 27))
    forward, after = [], 0
    while True:
        page = (
            await alice.get(f"/conversations/{cid}/messages", params={"after": after, "limit": 7})
        ).json()
        forward += [m["seq"] for m in page["items"]]
        if not page["has_more"]:
            break
        after = page["items"][-1]["seq"]
    assert forward == list(range(1, 27))


async def test_mentions_and_all_permissions(server: Server) -> None:
    admin = await setup_admin(server)
    owner = await create_user(admin, "owner")
    bob = await create_user(admin, "bob", "鲍勃")
    carol = await create_user(admin, "carol")
    outsider = await create_user(admin, "dave")
    cid = await create_group(owner, bob, carol)
    m = await owner.send(cid, "@bob @dave 请看一下, and @Carol.", mentions=[])
    assert sorted(m["mentions"]) == sorted([bob.user_id, carol.user_id])  # dave is not a member
    m = await bob.send(cid, "ping", mentions=[carol.user_id, outsider.user_id])
    assert m["mentions"] == [carol.user_id]
    r = await bob.post(
        f"/conversations/{cid}/messages", json={"client_msg_id": "all", "text": "@all 开会"}
    )
    problem(r, 403, "mention_all_forbidden")
    r = await bob.post(
        f"/conversations/{cid}/messages", json={"client_msg_id": "all2", "text": "@所有人 开会"}
    )
    problem(r, 403, "mention_all_forbidden")
    m = await owner.send(cid, "@all 开会了")
    assert m["mention_all"] is True
    # An email address is not a mention.
    m = await owner.send(cid, "mail bob@example.com")
    assert m["mentions"] == [] and m["mention_all"] is False
