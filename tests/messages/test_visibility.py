"""A member added to a group reads the log from their joining on, and messages embedded in
later entries (a quote, the target of a reaction, pin or edit) follow the same rule: in
history, sync, lists, search and live frames, each reader sees what they may read."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import Api, Server, Ws, create_group, create_user, problem, setup_admin
from tests.services import REDIS_URL, require_redis

SECRET = "年终奖方案机密"
# What Frank's socket gets from `_embed_old_message`, in order.
_CHANGE_FRAMES = (
    "reaction.updated",
    "pin.updated",
    "message.edited",
    "message.new",
    "reaction.updated",
)


@pytest.fixture(params=["memory", "redis"])
def settings_overrides(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Live frames through one node's memory broker and through Redis (which carries the
    cut-down forms of a publication between nodes)."""
    if request.param == "redis":
        require_redis()
        return {"broker_url": REDIS_URL}
    return {}


async def _late_join(server: Server) -> tuple[Api, Api, Api, str, dict[str, Any]]:
    """Alice and Bob found a group; Bob says something secret; Frank is added later."""
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    frank = await create_user(admin, "frank")
    cid = await create_group(alice, bob)
    old = await bob.send(cid, SECRET)
    r = await alice.post(f"/conversations/{cid}/members", json={"user_ids": [frank.user_id]})
    assert r.status_code == 200, r.text
    return alice, bob, frank, cid, old


async def _embed_old_message(alice: Api, bob: Api, cid: str, old: dict[str, Any]) -> dict[str, Any]:
    """After Frank joined: a reaction to the old message, a pin of it, an edit of it, a
    reply quoting it, and a reaction to that reply. Returns the reply."""
    base = f"/conversations/{cid}/messages/{old['id']}"
    assert (await alice.put(f"{base}/reactions/👍")).status_code == 200
    assert (await alice.post(f"{base}/pin")).status_code == 200
    assert (await bob.patch(base, json={"text": SECRET + "（修订）"})).status_code == 200
    reply = await alice.send(cid, "同意", reply_to=old["id"])
    r = await bob.put(f"/conversations/{cid}/messages/{reply['id']}/reactions/🎉")
    assert r.status_code == 200
    return reply


async def test_live_frames_cut_per_recipient(server: Server) -> None:
    alice, bob, frank, cid, old = await _late_join(server)
    frank_ws, bob_ws = await frank.ws(), await bob.ws()
    await _embed_old_message(alice, bob, cid, old)
    frank_frames = [await frank_ws.expect(t) for t in _CHANGE_FRAMES]
    bob_frames = [await bob_ws.expect(t) for t in _CHANGE_FRAMES]

    assert SECRET not in str(frank_frames)
    reaction, pin, edit, reply, reply_reaction = (f["message"] for f in frank_frames)
    for change in (reaction, pin, edit):
        assert change["target_id"] == old["id"] and change["target"] is None
    assert reply["text"] == "同意"
    assert reply["reply_to"] == {
        "id": old["id"],
        "seq": old["seq"],
        "sender_id": None,
        "text": "",
        "recalled": False,
        "hidden": True,
    }
    # Two levels: the reply is Frank's to see, the message it quotes is not.
    assert reply_reaction["target"]["text"] == "同意"
    assert reply_reaction["target"]["reply_to"]["hidden"] is True

    # A founder sees everything, in the same frames.
    assert bob_frames[0]["message"]["target"]["text"] == SECRET
    assert SECRET in bob_frames[3]["message"]["reply_to"]["text"]
    assert SECRET in bob_frames[4]["message"]["target"]["reply_to"]["text"]
    await frank_ws.close()
    await bob_ws.close()


async def test_history_sync_and_lists_hide_what_predates_joining(server: Server) -> None:
    alice, bob, frank, cid, old = await _late_join(server)
    reply = await _embed_old_message(alice, bob, cid, old)

    # Bob syncs first, so Frank's page is served from the entries Bob's page rendered.
    bob_sync = await bob.get("/sync", params={"cursors": f"{cid}:0"})
    assert SECRET in bob_sync.text
    frank_sync = await frank.get("/sync", params={"cursors": f"{cid}:0"})
    frank_history = await frank.get(f"/conversations/{cid}/messages")
    for r in (frank_sync, frank_history):
        assert r.status_code == 200 and SECRET not in r.text
    events = frank_sync.json()["events"]
    assert {e["kind"] for e in events} >= {"reaction", "pin", "edit", "text"}
    assert [e["reply_to"]["hidden"] for e in events if e["id"] == reply["id"]] == [True]
    problem(await frank.get(f"/messages/{old['id']}"), 404, "message_not_found")

    # Everything else that shows a message Frank may read, quoting one he may not.
    assert (await frank.post("/favorites", json={"message_id": reply["id"]})).status_code == 201
    for path in (
        "/favorites",
        f"/messages/{reply['id']}",
        f"/conversations/{cid}",
        "/conversations",
        f"/conversations/{cid}/pins",
    ):
        r = await frank.get(path)
        assert r.status_code == 200 and SECRET not in r.text, path
    hits = (await frank.get("/search", params={"q": "同意"})).json()["items"]
    assert [h["message"]["reply_to"]["hidden"] for h in hits] == [True]
    # The reaction Frank adds to the reply answers with the reply as he sees it.
    r = await frank.put(f"/conversations/{cid}/messages/{reply['id']}/reactions/👀")
    assert r.status_code == 200 and SECRET not in r.text

    # Bob, a founder, still reads it all.
    bob_history = await bob.get(f"/conversations/{cid}/messages")
    assert bob_history.text.count(SECRET) >= 3


async def test_admin_erasure_is_recorded_in_the_log(server: Server) -> None:
    alice, bob, frank, cid, old = await _late_join(server)
    ws: Ws = await frank.ws()
    mine = await bob.send(cid, "发错了")

    # Bob takes back his own message in time: an ordinary recall, no record.
    r = await bob.post(f"/conversations/{cid}/messages/{mine['id']}/recall")
    assert r.status_code == 200 and r.json()["recalled"] is True
    # Alice, the owner, erases Bob's old message: recorded, without its content.
    r = await alice.post(f"/conversations/{cid}/messages/{old['id']}/recall")
    assert r.status_code == 200
    frame = await ws.expect("message.new")
    while frame["message"]["kind"] != "system":  # Bob's message comes first
        frame = await ws.expect("message.new")
    record = frame["message"]
    assert record["sender_id"] == alice.user_id and record["created_at"]
    assert record["system"] == {
        "event": "message_erased",
        "message_id": old["id"],
        "message_seq": old["seq"],
    }
    items = (await bob.get(f"/conversations/{cid}/messages")).json()["items"]
    events = [m["system"]["event"] for m in items if m["kind"] == "system"]
    assert events == ["group_created", "members_added", "message_erased"]
    assert SECRET not in str(items)
    await ws.close()
