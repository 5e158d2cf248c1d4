"""Turning stored log entries into what the API shows, with every lookup batched."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from parley.files import service as files
from parley.files.schemas import FileRead
from parley.messages import repository as repo
from parley.messages.models import Entry, Message, NewText
from parley.messages.schemas import MessageRead, ReactionSummary, ReplyPreview
from parley.messages.visibility import VisibleFrom, for_readers

CONTENT_KINDS = ("text", "forward")
CHANGE_KINDS = ("edit", "recall", "reaction", "pin")
REPLY_SNIPPET_CHARS = 200
REACTION_USERS_SHOWN = 50

Reactions = dict[uuid.UUID, list[tuple[str, uuid.UUID]]]


async def render(
    session: AsyncSession, messages: Sequence[Message], visible_from: VisibleFrom
) -> list[MessageRead]:
    """Messages as a reader who may read the log from `visible_from` on sees them
    (visibility.py; `EVERYONE` for shared renderings): quoted messages, reactions and the
    targets of change entries are loaded in one query each, whatever the page size."""
    targets = await repo.by_ids(session, [m.target_id for m in messages if m.target_id])
    shown = [*messages, *targets]
    quoted = {
        q.id: q for q in await repo.by_ids(session, [m.reply_to_id for m in shown if m.reply_to_id])
    }
    content_ids = [m.id for m in shown if m.kind in CONTENT_KINDS]
    reactions = await repo.reactions_of(session, content_ids)
    attachments = await files.attachments_of(session, content_ids)
    rendered_targets = {t.id: _render_one(t, quoted, reactions, attachments, None) for t in targets}
    rendered = [
        _render_one(
            m,
            quoted,
            reactions,
            attachments,
            rendered_targets.get(m.target_id) if m.target_id else None,
        )
        for m in messages
    ]
    return for_readers(rendered, visible_from)


async def render_one(
    session: AsyncSession, message: Message, visible_from: VisibleFrom
) -> MessageRead:
    return (await render(session, [message], visible_from))[0]


async def render_new(
    session: AsyncSession, message: Message, *, with_attachments: bool
) -> MessageRead:
    """A message stored in this very transaction: it has no reactions yet and carries
    files only if it was sent with some, so those two lookups (two statements on every
    send) are skipped. Only a quoted message still needs loading. Rendered for every
    reader: the broadcast carries the cut-down forms (frames.log_entry)."""
    quoted = {q.id: q for q in await repo.by_ids(session, _ids(message.reply_to_id))}
    attachments = await files.attachments_of(session, [message.id]) if with_attachments else {}
    return _render_one(message, quoted, {}, attachments, None)


def render_plain(message: NewText) -> MessageRead:
    """A plain text message stored in this very transaction: nothing to look up (no
    quote, reactions or files yet)."""
    return _render_one(message, {}, {}, {}, None)


def _ids(value: uuid.UUID | None) -> list[uuid.UUID]:
    return [value] if value is not None else []


def _render_one(
    m: Entry,
    quoted: dict[uuid.UUID, Message],
    reactions: Reactions,
    attachments: dict[uuid.UUID, list[FileRead]],
    target: MessageRead | None,
) -> MessageRead:
    payload = m.payload or {}
    recalled = m.recalled_at is not None
    return MessageRead(
        id=m.id,
        conversation_id=m.conversation_id,
        seq=m.seq,
        sender_id=m.sender_id,
        kind=m.kind,  # type: ignore[arg-type]
        # An edit entry keeps the replaced version for the edit history, not for display.
        text="" if recalled or m.kind in CHANGE_KINDS else m.text,
        client_msg_id=m.client_msg_id,
        reply_to=_preview(quoted.get(m.reply_to_id)) if m.reply_to_id else None,
        mentions=[uuid.UUID(u) for u in m.mentions],
        mention_all=m.mention_all,
        system=payload if m.kind == "system" else None,
        change=payload if m.kind in CHANGE_KINDS else None,
        forward=payload if m.kind == "forward" and not recalled else None,
        forwarded_from=payload.get("forwarded_from") if m.kind == "text" else None,
        edited_at=m.edited_at,
        recalled=recalled,
        recalled_by=m.recalled_by,
        reactions=_summaries(reactions.get(m.id, [])),
        attachments=[] if recalled else attachments.get(m.id, []),
        target_id=m.target_id,
        target=target,
        created_at=m.created_at,
    )


def _preview(q: Message | None) -> ReplyPreview | None:
    if q is None:
        return None
    recalled = q.recalled_at is not None
    return ReplyPreview(
        id=q.id,
        seq=q.seq,
        sender_id=q.sender_id,
        recalled=recalled,
        text="" if recalled else q.text[:REPLY_SNIPPET_CHARS],
    )


def _summaries(pairs: list[tuple[str, uuid.UUID]]) -> list[ReactionSummary]:
    by_emoji: dict[str, list[uuid.UUID]] = {}
    for emoji, user_id in pairs:
        by_emoji.setdefault(emoji, []).append(user_id)
    return [
        ReactionSummary(emoji=e, count=len(users), user_ids=users[:REACTION_USERS_SHOWN])
        for e, users in by_emoji.items()
    ]
