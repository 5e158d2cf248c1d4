"""Edit, recall, reactions and pins: each is a log entry with a seq, and a live event."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from parley.core.clock import utcnow
from parley.db.session import write_scope
from parley.messages.models import Message
from tests.helpers import Server, create_group, create_user, problem, setup_admin


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"recall_window_seconds": 120, "edit_window_seconds": 3600, "max_pins": 2}


async def _age(server: Server, message_id: str, seconds: int) -> None:
    rt = server.app.state.runtime
    async with write_scope(rt.db, rt.publish) as session:
        await session.execute(
            update(Message)
            .where(Message.id == uuid.UUID(message_id))
            .values(created_at=utcnow() - timedelta(seconds=seconds))
        )


async def test_edit_own_message_with_history_and_live_event(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    cid = await create_group(alice, bob)
    ws = await bob.ws()
    msg = await alice.send(cid, "周五开会")
    r = await alice.patch(f"/conversations/{cid}/messages/{msg['id']}", json={"text": "周六开会"})
    assert r.status_code == 200
    assert r.json()["text"] == "周六开会" and r.json()["edited_at"] is not None
    frame = await ws.expect("message.edited")
    assert frame["seq"] == msg["seq"] + 1
    assert frame["message"]["kind"] == "edit"
    assert frame["message"]["target"]["text"] == "周六开会"
    history = (await bob.get(f"/conversations/{cid}/messages/{msg['id']}/edits")).json()
    assert [v["text"] for v in history["versions"]] == ["周五开会", "周六开会"]
    # The log shows the message in its current state; the edit entry holds no old text.
    items = (await bob.get(f"/conversations/{cid}/messages")).json()["items"]
    assert [(m["kind"], m["text"]) for m in items[-2:]] == [("text", "周六开会"), ("edit", "")]

    r = await bob.patch(f"/conversations/{cid}/messages/{msg['id']}", json={"text": "hack"})
    problem(r, 403, "not_your_message")
    problem(
        await alice.patch(f"/conversations/{cid}/messages/{msg['id']}", json={"text": " "}),
        422,
        "empty_message",
    )
    await _age(server, msg["id"], 3601)
    problem(
        await alice.patch(f"/conversations/{cid}/messages/{msg['id']}", json={"text": "late"}),
        403,
        "edit_window_passed",
    )
    await ws.close()


async def test_recall_erases_content_for_everyone(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    cid = await create_group(alice, bob)
    msg = await alice.send(cid, "密码是 hunter2")
    await alice.patch(f"/conversations/{cid}/messages/{msg['id']}", json={"text": "密码是 hunter3"})
    await bob.put(f"/conversations/{cid}/messages/{msg['id']}/reactions/👍")
    quote = await bob.send(cid, "收到", reply_to=msg["id"])
    ws = await bob.ws()
    problem(
        await bob.post(f"/conversations/{cid}/messages/{msg['id']}/recall"), 403, "not_your_message"
    )
    r = await alice.post(f"/conversations/{cid}/messages/{msg['id']}/recall")
    assert r.status_code == 200
    assert r.json()["recalled"] is True and r.json()["text"] == "" and r.json()["reactions"] == []
    frame = await ws.expect("message.recalled")
    assert frame["message"]["target"]["recalled"] is True
    assert frame["message"]["sender_id"] == alice.user_id
    history = (await bob.get(f"/conversations/{cid}/messages/{msg['id']}/edits")).json()
    assert history["versions"] == []
    page = (await bob.get(f"/conversations/{cid}/messages")).json()["items"]
    texts = " ".join(m["text"] + str(m.get("reply_to")) for m in page)
    assert "hunter" not in texts
    quoted = next(m for m in page if m["id"] == quote["id"])
    assert quoted["reply_to"]["recalled"] is True and quoted["reply_to"]["text"] == ""
    # Nothing more can happen to it.
    problem(
        await bob.put(f"/conversations/{cid}/messages/{msg['id']}/reactions/👍"),
        409,
        "message_recalled",
    )
    problem(
        await alice.patch(f"/conversations/{cid}/messages/{msg['id']}", json={"text": "x"}),
        409,
        "message_recalled",
    )
    await ws.close()


async def test_recall_window_and_admin_override(server: Server) -> None:
    admin = await setup_admin(server)
    owner = await create_user(admin, "owner")
    bob = await create_user(admin, "bob")
    cid = await create_group(owner, bob)
    old = await bob.send(cid, "old news")
    await _age(server, old["id"], 121)
    problem(
        await bob.post(f"/conversations/{cid}/messages/{old['id']}/recall"),
        403,
        "recall_window_passed",
    )
    # A group admin may recall anyone's message at any time.
    r = await owner.post(f"/conversations/{cid}/messages/{old['id']}/recall")
    assert r.json()["recalled"] is True and r.json()["recalled_by"] == owner.user_id
    # In a direct chat nobody recalls the other's message.
    direct = (
        await owner.post("/conversations", json={"type": "direct", "user_id": bob.user_id})
    ).json()
    did = direct["conversation"]["id"]
    m = await bob.send(did, "private")
    problem(
        await owner.post(f"/conversations/{did}/messages/{m['id']}/recall"), 403, "not_your_message"
    )


async def test_reactions_toggle_count_and_validate(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    eve = await create_user(admin, "eve")
    cid = await create_group(alice, bob)
    msg = await alice.send(cid, "发布成功 🎉")
    ws = await alice.ws()
    path = f"/conversations/{cid}/messages/{msg['id']}/reactions"
    await bob.put(f"{path}/👍")
    r = await alice.put(f"{path}/👍")
    assert r.json()["reactions"] == [
        {"emoji": "👍", "count": 2, "user_ids": [bob.user_id, alice.user_id]}
    ]
    frame = await ws.expect("reaction.updated")
    assert frame["message"]["change"] == {"emoji": "👍", "user_id": bob.user_id, "added": True}
    # Toggling twice is idempotent: no second entry in the log.
    seq_before = (await alice.get(f"/conversations/{cid}")).json()["conversation"]["last_seq"]
    await bob.put(f"{path}/👍")
    assert (await alice.get(f"/conversations/{cid}")).json()["conversation"][
        "last_seq"
    ] == seq_before
    r = await bob.delete(f"{path}/👍")
    assert r.json()["reactions"][0]["count"] == 1
    await bob.put(f"{path}/👨‍👩‍👧")
    await bob.put(f"{path}/❤️")
    emojis = [
        x["emoji"]
        for x in (await bob.get(f"/conversations/{cid}/messages")).json()["items"][1]["reactions"]
    ]
    assert emojis == ["👍", "👨‍👩‍👧", "❤️"]
    for bad in ("a", "👍👍", "DROP TABLE", "x" * 10_000):
        r = await bob.put(f"{path}/{bad}")
        assert r.status_code == 422, (bad[:20], r.text)
    problem(await eve.put(f"{path}/👍"), 404, "conversation_not_found")
    # Reactions do not bump the conversation in anyone's list nor count as unread.
    row = next(
        c
        for c in (await alice.get("/conversations")).json()["items"]
        if c["conversation"]["id"] == cid
    )
    assert row["unread_count"] == 0
    await ws.close()


async def test_pins_admins_in_groups_anyone_in_direct(server: Server) -> None:
    admin = await setup_admin(server)
    owner = await create_user(admin, "owner")
    bob = await create_user(admin, "bob")
    cid = await create_group(owner, bob)
    m1 = await bob.send(cid, "规章制度")
    m2 = await bob.send(cid, "值班表")
    m3 = await bob.send(cid, "通讯录")
    problem(await bob.post(f"/conversations/{cid}/messages/{m1['id']}/pin"), 403, "admin_required")
    ws = await bob.ws()
    await owner.post(f"/conversations/{cid}/messages/{m1['id']}/pin")
    r = await owner.post(f"/conversations/{cid}/messages/{m2['id']}/pin")
    assert [p["message"]["id"] for p in r.json()] == [m2["id"], m1["id"]]
    assert (await ws.expect("pin.updated"))["message"]["change"] == {"pinned": True}
    problem(await owner.post(f"/conversations/{cid}/messages/{m3['id']}/pin"), 409, "too_many_pins")
    r = await owner.delete(f"/conversations/{cid}/messages/{m1['id']}/pin")
    assert [p["message"]["id"] for p in r.json()] == [m2["id"]]
    assert [p["message"]["text"] for p in (await bob.get(f"/conversations/{cid}/pins")).json()] == [
        "值班表"
    ]
    direct = (
        await bob.post("/conversations", json={"type": "direct", "user_id": owner.user_id})
    ).json()
    did = direct["conversation"]["id"]
    m = await owner.send(did, "地址")
    assert (await bob.post(f"/conversations/{did}/messages/{m['id']}/pin")).status_code == 200
    await ws.close()


async def test_changes_reach_offline_clients_through_sync(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    cid = await create_group(alice, bob)
    msg = await alice.send(cid, "draft plan")
    cursor = msg["seq"]
    await alice.patch(f"/conversations/{cid}/messages/{msg['id']}", json={"text": "final plan"})
    await alice.put(f"/conversations/{cid}/messages/{msg['id']}/reactions/✅")
    await alice.post(f"/conversations/{cid}/messages/{msg['id']}/recall")
    page = (await bob.get("/sync", params={"cursors": f"{cid}:{cursor}"})).json()
    assert [e["kind"] for e in page["events"]] == ["edit", "reaction", "recall"]
    assert [e["seq"] for e in page["events"]] == [cursor + 1, cursor + 2, cursor + 3]
    assert all(e["target"]["recalled"] for e in page["events"])  # targets show current state
    problem(
        await bob.patch(
            f"/conversations/{cid}/messages/00000000-0000-7000-8000-000000000000",
            json={"text": "x"},
        ),
        404,
        "message_not_found",
    )
