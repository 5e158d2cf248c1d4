"""Storing many sends in one transaction: the send path under load.

Alone, a send is half a dozen statements plus BEGIN and COMMIT, and each statement's
Python overhead (building it, its cache key, the ORM around it) costs several times what
the database does with it. `store` takes the sends queued on this node (send_queue.py)
and writes the plain ones - text without quotes, files or @mentions, which is most chat -
with one statement per step for the whole batch: memberships, earlier copies (retries),
one UPDATE giving each conversation its range of seqs, one INSERT of the messages, one of
their search entries, one of the senders' read cursors. A send carrying more goes through
`service.send` in a savepoint of the same transaction. Each send's outcome is its own:
a refused send (not a member, no text, the group muted) comes back as its problem and
changes nothing."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from parley.access.permissions import Permission
from parley.config import Settings
from parley.conversations import repository as conversation_repo
from parley.conversations import service as conversations
from parley.core.clock import utcnow
from parley.core.errors import Problem
from parley.core.ids import new_id
from parley.db.session import publish_on_commit
from parley.messages import frames, search_index, service
from parley.messages import repository as repo
from parley.messages.models import Message, NewText
from parley.messages.render import render, render_plain
from parley.messages.schemas import MessageCreate, MessageRead
from parley.messages.visibility import EVERYONE

Sent = tuple[MessageRead, bool]  # the message, and whether it is new (False: a retry)
Outcome = Sent | Problem
Key = tuple[uuid.UUID, uuid.UUID, str]  # conversation, sender, client_msg_id


@dataclass(frozen=True, slots=True)
class SendRequest:
    sender_id: uuid.UUID
    conversation_id: uuid.UUID
    body: MessageCreate
    # The sender's effective permissions as the request (or socket) knows them.
    permissions: frozenset[Permission]

    @property
    def key(self) -> Key:
        return (self.conversation_id, self.sender_id, self.body.client_msg_id)


def _key(m: Message | NewText | MessageRead) -> Key:
    """The idempotency key of a stored message (its sender is set: content has one)."""
    return (m.conversation_id, m.sender_id, m.client_msg_id or "")  # type: ignore[return-value]


def _plain(body: MessageCreate) -> bool:
    return not (body.attachments or body.mentions or body.reply_to) and "@" not in body.text


async def store(
    session: AsyncSession, settings: Settings, requests: Sequence[SendRequest]
) -> list[Outcome]:
    """Store every send of the batch in the caller's transaction; outcomes in order."""
    await conversation_repo.lock_in_order(session, {r.conversation_id for r in requests})
    outcomes: dict[int, Outcome] = {}
    plain: dict[int, SendRequest] = {}
    for i, request in enumerate(requests):
        if _plain(request.body):
            plain[i] = request
        else:
            outcomes[i] = await _store_one(session, settings, request)
    outcomes |= await _store_plain(session, settings, plain)
    return [outcomes[i] for i in range(len(requests))]


async def _store_one(session: AsyncSession, settings: Settings, request: SendRequest) -> Outcome:
    try:
        async with session.begin_nested():
            return await send_one(session, settings, request)
    except Problem as problem:
        return problem


async def send_one(session: AsyncSession, settings: Settings, request: SendRequest) -> Sent:
    """One send through the full path (`service.send`)."""
    return await service.send(
        session,
        settings,
        request.sender_id,
        request.conversation_id,
        request.body,
        permissions=request.permissions,
    )


async def _store_plain(
    session: AsyncSession, settings: Settings, requests: Mapping[int, SendRequest]
) -> dict[int, Outcome]:
    if not requests:
        return {}
    rights = await conversation_repo.posting_rights(
        session, {(r.conversation_id, r.sender_id) for r in requests.values()}
    )
    earlier = {
        _key(m): m for m in await repo.by_client_ids(session, {r.key for r in requests.values()})
    }
    now = utcnow()
    outcomes: dict[int, Outcome] = {}
    fresh: dict[Key, NewText] = {}
    retries: dict[int, Key] = {}
    for i, request in requests.items():
        right = rights.get((request.conversation_id, request.sender_id))
        try:
            if right is None:
                raise conversations.no_such_conversation()
            if request.key in earlier or request.key in fresh:
                retries[i] = request.key
                continue
            service.check_text(settings, request.body.text)
            admins_only, role, muted_until, archived = right
            service.check_can_post(admins_only, role, muted_until, archived=archived)
        except Problem as problem:
            outcomes[i] = problem
            continue
        fresh[request.key] = _new_message(request, now)
    reads = await _write(session, fresh, now) if fresh else {}
    if retries:
        # The senders' own messages: whatever they quote, the sender chose to quote.
        own = [earlier[k] for k in retries.values() if k in earlier]
        shown = await render(session, own, EVERYONE)
        reads |= {_key(m): m for m in shown}
    for i, key in retries.items():
        outcomes[i] = (reads[key], False)
    for i, request in requests.items():
        if i not in outcomes and request.key in fresh:
            outcomes[i] = (reads[request.key], True)
    return outcomes


def _new_message(request: SendRequest, now: datetime) -> NewText:
    return NewText(
        id=new_id(),
        conversation_id=request.conversation_id,
        sender_id=request.sender_id,
        text=request.body.text,
        client_msg_id=request.body.client_msg_id,
        created_at=now,
    )


async def _write(
    session: AsyncSession, fresh: dict[Key, NewText], now: datetime
) -> dict[Key, MessageRead]:
    """Give the messages their seqs, store them, index them, count them as read by their
    senders, and announce them after commit. Messages of one conversation are in the
    order they were sent, so they take ascending seqs in that order."""
    by_conversation: dict[uuid.UUID, list[NewText]] = {}
    for m in fresh.values():
        by_conversation.setdefault(m.conversation_id, []).append(m)
    last = await conversation_repo.allocate_seq_ranges(
        session, {c: (len(ms), ms[-1].id) for c, ms in by_conversation.items()}, now
    )
    for c, ms in by_conversation.items():
        first = last[c] - len(ms) + 1
        for offset, m in enumerate(ms):
            m.seq = first + offset
    messages = list(fresh.values())
    await repo.insert_many(session, messages)
    await search_index.index_many(session, messages)
    await conversation_repo.advance_reads(
        session, {(c, sender): m.seq for (c, sender, _), m in fresh.items()}
    )
    reads = {key: render_plain(m) for key, m in fresh.items()}
    publish_on_commit(session, *(frames.log_entry("message.new", r) for r in reads.values()))
    return reads
