"""The conversation list and catch-up sync: what a client needs on start and reconnect."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from parley.conversations import service as conversations
from parley.conversations.models import ConversationView, MemberView
from parley.conversations.schemas import ConversationRead
from parley.core.events import pick
from parley.core.jsonutil import dumps
from parley.core.pagination import decode_cursor, encode_cursor
from parley.messages import repository as repo
from parley.messages.rendered import RenderedLog
from parley.messages.schemas import (
    ConversationPage,
    ConversationSummary,
    MemberSettings,
    MessageRead,
    SyncResponse,
)
from parley.messages.service import check_cursor, render
from parley.messages.visibility import EVERYONE, hidden_json

MAX_CONVERSATIONS = 10_000
MAX_PINNED = 100


def peer_of(conversation: ConversationView, user_id: uuid.UUID) -> uuid.UUID | None:
    if conversation.type != "direct" or not conversation.direct_key:
        return None
    a, b = conversation.direct_key.split(":")
    return uuid.UUID(b if a == str(user_id) else a)


async def summaries(
    session: AsyncSession,
    user_id: uuid.UUID,
    pairs: Sequence[tuple[ConversationView, MemberView]],
    rendered: RenderedLog | None = None,
) -> list[ConversationSummary]:
    last = _held_previews(rendered, pairs) if rendered is not None else {}
    missing = [i for c, _ in pairs if (i := c.last_message_id) and i not in last]
    joined = {c.id: m.joined_seq for c, m in pairs}
    last |= {m.id: m for m in await render(session, await repo.by_ids(session, missing), joined)}
    unread = await repo.unread_counts(session, user_id, [(c.id, m.last_read_seq) for c, m in pairs])
    external = await conversations.external_among(session, [c for c, _ in pairs])
    out = []
    for c, m in pairs:
        preview = last.get(c.last_message_id) if c.last_message_id else None
        if preview is not None and preview.seq < m.joined_seq:
            preview = None
        out.append(
            ConversationSummary(
                conversation=ConversationRead.model_validate(c),
                role=m.role,  # type: ignore[arg-type]
                muted_until=m.muted_until,
                settings=member_settings(c, m),
                peer_id=peer_of(c, user_id),
                external=c.id in external,
                last_read_seq=m.last_read_seq,
                unread_count=unread.get(c.id, 0),
                mentioned=max(m.mention_seq, c.all_mention_seq) > m.last_read_seq,
                last_message=preview,
            )
        )
    return out


def _held_previews(
    rendered: RenderedLog, pairs: Sequence[tuple[ConversationView, MemberView]]
) -> dict[uuid.UUID, MessageRead]:
    """Last messages that are the last entry of their log and held rendered (a sync page
    that just served them): parsed back instead of loaded and rendered (three queries)."""
    out = {}
    for c, m in pairs:
        if c.last_message_id is None:
            continue
        held = rendered.page(c.id, c.last_seq, c.last_seq, c.last_seq, m.joined_seq)
        if held is not None:
            message = MessageRead.model_validate_json(held[0])
            if message.id == c.last_message_id:
                out[message.id] = message
    return out


def member_settings(c: ConversationView, m: MemberView) -> MemberSettings:
    return MemberSettings(
        muted=m.muted,
        pinned=m.pinned_at is not None,
        archived=m.hidden_at is not None and c.last_activity_at <= m.hidden_at,
        draft=m.draft,
    )


async def conversation_list(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    cursor: str | None,
    limit: int,
    include_archived: bool = False,
) -> ConversationPage:
    """The user's conversations: on the first page the pinned ones on top, then the rest
    by latest activity. Archived ones are left out until their log moves on."""
    pinned = (
        []
        if cursor
        else await conversations.memberships_of(
            session,
            user_id,
            limit=MAX_PINNED,
            pinned=True,
            include_archived=True,
            include_unannounced=False,
        )
    )
    rest = await conversations.memberships_of(
        session,
        user_id,
        before=decode_cursor(cursor) if cursor else None,
        limit=limit + 1,
        pinned=False,
        include_archived=include_archived,
        include_unannounced=False,
    )
    more = len(rest) > limit
    rest = rest[:limit]
    last = rest[-1][0] if rest else None
    return ConversationPage(
        items=await summaries(session, user_id, pinned + rest),
        next_cursor=encode_cursor(last.last_activity_at, last.id) if more and last else None,
    )


async def summary(
    session: AsyncSession, user_id: uuid.UUID, conversation_id: uuid.UUID
) -> ConversationSummary:
    pair = await conversations.access_conversation(session, user_id, conversation_id)
    return (await summaries(session, user_id, [pair]))[0]


@dataclass(frozen=True, slots=True)
class SyncPage:
    """A sync response whose events are already JSON (see rendered.py)."""

    events: list[bytes]
    rest: SyncResponse  # everything but the events

    def json(self) -> bytes:
        rest = dumps(self.rest.model_dump(mode="json", exclude={"events"}))
        return b'{"events":[' + b",".join(self.events) + b"]," + rest[1:]


async def sync(
    session: AsyncSession,
    user_id: uuid.UUID,
    cursors: Mapping[uuid.UUID, int],
    limit: int,
    rendered: RenderedLog,
) -> SyncPage:
    """Everything after the client's cursors, in pages of at most `limit` entries.

    Listed conversations get their missed entries; conversations the client did not list
    (new to it) and listed ones that changed come back as summaries, so the client can
    list them next time (an unannounced direct chat not before its first message). A
    listed conversation's summary comes once, with the page that brings its cursor to the
    end of its log (its unread count is then final), not with every page of a long
    catch-up. Listed conversations the user has left come back as
    `removed`."""
    pairs = await conversations.memberships_of(session, user_id, limit=MAX_CONVERSATIONS)
    mine = {c.id: (c, m) for c, m in pairs}
    for cid, seq in cursors.items():
        if cid in mine:
            check_cursor(mine[cid][0], seq)
    changed = [
        (c, m)
        for c, m in pairs
        if (c.id in cursors and c.last_seq > cursors[c.id])
        or (c.id not in cursors and not conversations.unannounced(c, user_id))
    ]
    next_cursors = {cid: seq for cid, seq in cursors.items() if cid in mine}
    events: list[bytes] = []
    budget, has_more = limit, False
    for c, m in sorted(changed, key=lambda p: str(p[0].id)):
        if c.id not in cursors:
            continue
        if budget == 0:
            has_more = True
            break
        first = max(cursors[c.id] + 1, m.joined_seq)
        last = min(c.last_seq, first + budget - 1)
        page = await _entries(session, rendered, c, m, first, last) if first <= last else []
        events.extend(page)
        budget -= len(page)
        next_cursors[c.id] = last if page else c.last_seq
        has_more = has_more or next_cursors[c.id] < c.last_seq
    complete = [p for p in changed if next_cursors.get(p[0].id, p[0].last_seq) >= p[0].last_seq]
    return SyncPage(
        events,
        SyncResponse(
            events=[],
            conversations=await summaries(session, user_id, complete, rendered),
            removed=[cid for cid in cursors if cid not in mine],
            next_cursors=next_cursors,
            has_more=has_more,
        ),
    )


async def _entries(
    session: AsyncSession,
    rendered: RenderedLog,
    c: ConversationView,
    m: MemberView,
    first: int,
    last: int,
) -> list[bytes]:
    """Entries `first`..`last` of the log as JSON, as the member sees them: held ones,
    else rendered for every reader and kept."""
    held = rendered.page(c.id, c.last_seq, first, last, m.joined_seq)
    if held is not None:
        return held
    rows = await repo.page(
        session, c.id, min_seq=first, after=first - 1, before=last + 1, limit=last - first + 1
    )
    out = [
        (r.seq, (dumps(r.as_json()), hidden_json(r))) for r in await render(session, rows, EVERYONE)
    ]
    rendered.keep(c.id, c.last_seq, out)
    return [pick(*entry, m.joined_seq) for _, entry in out]
