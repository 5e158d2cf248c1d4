"""Sends stored a batch per transaction (the socket path under load): every send keeps its
own outcome, and what a batch stores is what single sends would have stored."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from parley.access.permissions import SYSTEM_ROLES
from parley.core.clock import utcnow
from parley.core.errors import Problem
from parley.core.ids import new_id
from parley.db.session import write_scope
from parley.messages import repository as repo
from parley.messages import search_index, send_batch
from parley.messages.models import Message, NewText
from parley.messages.schemas import MessageCreate
from parley.messages.send_batch import SendRequest
from tests.helpers import Api, Server, create_group, create_user, setup_admin

MEMBER = SYSTEM_ROLES["member"]


def _request(api: Api, conversation_id: str, text: str, cmid: str, **extra: Any) -> SendRequest:
    body = MessageCreate(client_msg_id=cmid, text=text, **extra)
    return SendRequest(uuid.UUID(api.user_id), uuid.UUID(conversation_id), body, MEMBER)


async def _store(server: Server, requests: list[SendRequest]) -> list[Any]:
    rt = server.app.state.runtime
    async with write_scope(rt.db, rt.publish) as session:
        return await send_batch.store(session, rt.settings, requests)


def _code(outcome: Any) -> str:
    assert isinstance(outcome, Problem), outcome
    return outcome.code


async def test_one_batch_mixes_new_sends_retries_and_refusals(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    carol = await create_user(admin, "carol")
    group = await create_group(alice, bob)
    muted = await create_group(alice, bob, name="公告")
    await alice.patch(f"/conversations/{muted}", json={"admins_only": True})
    first = await alice.send(group, "第一条")
    bob_ws = await bob.ws()

    outcomes = await _store(
        server,
        [
            _request(alice, group, "季度报告已经提交", "a-1"),
            _request(bob, group, "收到", "b-1"),
            _request(carol, group, "我不在群里", "c-1"),
            _request(alice, group, "   ", "a-2"),
            _request(alice, group, "季度报告已经提交", "a-1"),  # the same send twice
            _request(bob, muted, "群已禁言", "b-2"),
            _request(alice, muted, "管理员可以发", "a-3"),
            _request(bob, group, "@alice 请看", "b-3"),  # mentions: the full path
            _request(alice, group, "第二份报告", "a-4"),
        ],
    )

    assert _code(outcomes[2]) == "conversation_not_found"
    assert _code(outcomes[3]) == "empty_message"
    assert _code(outcomes[5]) == "posting_restricted"
    (a1, new_a1), (again, new_again) = outcomes[0], outcomes[4]
    assert new_a1 and not new_again and again.id == a1.id and again.seq == a1.seq
    sent = {o[0].client_msg_id: o[0] for o in outcomes if not isinstance(o, Problem)}
    in_group = sorted(m.seq for m in sent.values() if str(m.conversation_id) == group)
    # Four new messages in the group, on the seqs right after the first one, no gap.
    assert in_group == list(range(first["seq"] + 1, first["seq"] + 5))
    # Plain sends of one conversation keep the order they were queued in.
    assert sent["a-1"].seq < sent["b-1"].seq < sent["a-4"].seq
    assert [str(u) for u in sent["b-3"].mentions] == [alice.user_id]

    history = (await bob.get(f"/conversations/{group}/messages")).json()["items"]
    assert [m["text"] for m in history][-4:] == [
        sent[c].text for c in sorted(sent, key=lambda c: sent[c].seq) if c != "a-3"
    ]
    live = [await bob_ws.expect("message.new", conversation_id=group) for _ in range(4)]
    assert [f["seq"] for f in live] == in_group

    chats = {
        c["conversation"]["id"]: c for c in (await alice.get("/conversations")).json()["items"]
    }
    assert chats[group]["last_message"]["text"] == "第二份报告"
    assert chats[group]["unread_count"] == 0  # her last send marks all before it read
    bobs = {c["conversation"]["id"]: c for c in (await bob.get("/conversations")).json()["items"]}
    assert bobs[group]["unread_count"] == 1  # after his last send, only her "第二份报告"
    assert chats[muted]["last_message"]["text"] == "管理员可以发"
    hits = (await bob.get("/search", params={"q": "报告"})).json()["items"]
    assert {h["message"]["text"] for h in hits} == {"季度报告已经提交", "第二份报告"}

    # A later batch finds the stored copy: same message, not stored again.
    (retry, new_retry), fresh = await _store(
        server,
        [_request(alice, group, "季度报告已经提交", "a-1"), _request(bob, group, "好", "b-4")],
    )
    assert not new_retry and retry.id == a1.id
    assert fresh[1] and fresh[0].seq == in_group[-1] + 1
    await bob_ws.close()


async def test_sockets_sending_at_once_share_batches_and_lose_nothing(server: Server) -> None:
    admin = await setup_admin(server)
    users = [await create_user(admin) for _ in range(8)]
    group = await create_group(users[0], *users[1:])
    sockets = [await u.ws() for u in users]
    per_socket = 15

    async def burst(i: int) -> list[dict[str, Any]]:
        for n in range(per_socket):
            frame = {"client_msg_id": f"{i}-{n}", "text": f"{i}:{n}", "ref": f"{i}-{n}"}
            await sockets[i].send({"type": "message.send", "conversation_id": group, **frame})
        return [await sockets[i].expect("message.ack", timeout=20) for _ in range(per_socket)]

    acks = await asyncio.gather(*(burst(i) for i in range(len(sockets))))
    seqs = sorted(a["seq"] for per in acks for a in per)
    assert len(seqs) == len(set(seqs)) == len(users) * per_socket
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    for i, per in enumerate(acks):  # each socket's sends in the order it made them
        assert [a["ref"] for a in per] == [f"{i}-{n}" for n in range(per_socket)]
        assert [a["seq"] for a in per] == sorted(a["seq"] for a in per)
    history = await users[0].get(f"/conversations/{group}/messages", params={"limit": 200})
    assert len([m for m in history.json()["items"] if m["kind"] == "text"]) == len(seqs)
    for ws in sockets:
        await ws.close()


async def test_a_send_the_database_refuses_fails_alone(server: Server, backend: str) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite stores an over-long client_msg_id as it is")
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    group = await create_group(alice)
    queue = server.app.state.send_queue
    # Past schema validation (which refuses it at the socket), as a bug upstream might.
    bad = MessageCreate.model_construct(client_msg_id="x" * 65, text="太长", mentions=[])
    results = await asyncio.gather(
        queue.send(_request(alice, group, "一", "ok-1")),
        queue.send(SendRequest(uuid.UUID(alice.user_id), uuid.UUID(group), bad, MEMBER)),
        queue.send(_request(alice, group, "二", "ok-2")),
        return_exceptions=True,
    )
    assert isinstance(results[1], Exception) and not isinstance(results[1], Problem)
    (one, _), (two, _) = results[0], results[2]  # type: ignore[misc]
    items = (await alice.get(f"/conversations/{group}/messages")).json()["items"]
    assert [m["text"] for m in items if m["kind"] == "text"] == [one.text, two.text]


async def test_a_backfill_larger_than_one_statement_is_stored_whole(server: Server) -> None:
    """More rows than SQLite binds in one statement (32,766 values) take several."""
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    group = uuid.UUID(await create_group(alice))
    base = (await alice.send(str(group), "开始"))["seq"]
    now = utcnow()
    words = ["alpha", *["filler"] * 4_998, "omega"]
    rows = [
        NewText(new_id(), group, uuid.UUID(alice.user_id), w, f"bf-{i}", now, seq=base + 1 + i)
        for i, w in enumerate(words)
    ]
    rt = server.app.state.runtime
    async with write_scope(rt.db, rt.publish) as session:
        await repo.insert_many(session, rows)
        await search_index.index_many(session, rows)
        stored = await session.scalar(
            select(func.count()).select_from(Message).where(Message.conversation_id == group)
        )
    assert stored == base + 5_000
    for word, seq in (("alpha", base + 1), ("omega", base + 5_000)):
        hits = (await alice.get("/search", params={"q": word})).json()["items"]
        assert [(h["message"]["text"], h["message"]["seq"]) for h in hits] == [(word, seq)]
