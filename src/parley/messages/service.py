"""Writing and reading the log: append with seq, idempotent send, history, read state."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from parley.access.permissions import Permission, require
from parley.config import Settings
from parley.conversations import service as conversations
from parley.conversations.models import Conversation, ConversationView, Member
from parley.core.clock import utcnow
from parley.core.errors import Conflict, Forbidden, Invalid, NotFound
from parley.core.events import Publication
from parley.core.ids import new_id
from parley.db.session import publish_on_commit
from parley.files import service as files
from parley.messages import frames, mentions, search_index
from parley.messages import repository as repo
from parley.messages.models import Message
from parley.messages.render import CHANGE_KINDS, CONTENT_KINDS, render, render_new, render_one
from parley.messages.schemas import (
    MessageCreate,
    MessagePage,
    MessageRead,
    ReadState,
    Receipts,
)
from parley.messages.visibility import EVERYONE
from parley.users import service as users


async def append(
    session: AsyncSession,
    conversation: Conversation,
    *,
    sender_id: uuid.UUID | None,
    kind: str,
    text: str = "",
    client_msg_id: str | None = None,
    reply_to_id: uuid.UUID | None = None,
    mentioned: Sequence[uuid.UUID] = (),
    mention_all: bool = False,
    payload: dict[str, Any] | None = None,
    target_id: uuid.UUID | None = None,
) -> Message:
    """Store the next entry of the log, with the next seq, in the caller's transaction.

    Content and system entries make the conversation active and become its preview;
    change entries (edits, reactions ...) only take a seq."""
    content = kind not in CHANGE_KINDS
    message_id = new_id()
    seq = await conversations.next_seq(
        session,
        conversation,
        activity=content,
        entry_id=message_id if content else None,
        mention_all=content and mention_all,
    )
    message = Message(
        id=message_id,
        conversation_id=conversation.id,
        seq=seq,
        sender_id=sender_id,
        kind=kind,
        text=text,
        client_msg_id=client_msg_id,
        reply_to_id=reply_to_id,
        mentions=[str(u) for u in mentioned],
        mention_all=mention_all,
        payload=payload,
        target_id=target_id,
    )
    await repo.add(session, message)
    if content:
        await conversations.record_mentions(session, conversation, mentioned, seq)
    await repo.add_mentions(session, message, mentioned)
    return message


def _race_guard(session: AsyncSession, checked: bool) -> AbstractAsyncContextManager[object]:
    """A savepoint that lets a duplicate `client_msg_id` lose the unique-key race without
    aborting the transaction. When the caller has already looked the id up in this same
    transaction (`checked`) on SQLite, no concurrent writer can exist (one writer
    connection, BEGIN IMMEDIATE), so the SAVEPOINT / RELEASE round trips buy nothing."""
    if checked and session.get_bind().dialect.name == "sqlite":
        return contextlib.nullcontext()
    return session.begin_nested()


async def post(
    session: AsyncSession,
    conversation: Conversation,
    member: Member,
    client_msg_id: str,
    attachments: Sequence[files.File] = (),
    *,
    checked: bool = False,
    **fields: Any,
) -> tuple[MessageRead, bool]:
    """Store a member's content message exactly once per `client_msg_id`, count it as read
    by its sender, and announce it after commit. Returns it and whether it is new.
    `checked`: the caller found no message with this `client_msg_id` in this transaction."""
    try:
        async with _race_guard(session, checked):
            message = await append(
                session,
                conversation,
                sender_id=member.user_id,
                client_msg_id=client_msg_id,
                **fields,
            )
    except IntegrityError:
        # A concurrent retry with the same client_msg_id won the race: return its message.
        existing = await repo.by_client_id(session, conversation.id, member.user_id, client_msg_id)
        if existing is None:
            raise
        return await render_one(session, existing, member.joined_seq), False
    await files.attach(
        session,
        attachments,
        message_id=message.id,
        conversation_id=conversation.id,
        seq=message.seq,
        sender_id=message.sender_id,
        at=message.created_at,
    )
    await search_index.index(session, message)
    await conversations.advance_read(session, member, message.seq)
    read = await render_new(session, message, with_attachments=bool(attachments))
    publish_on_commit(session, frames.log_entry("message.new", read))
    return read, True


async def append_change(
    session: AsyncSession,
    conversation: Conversation,
    actor_id: uuid.UUID,
    target: Message,
    kind: str,
    frame_type: str,
    *,
    text: str = "",
    **change: Any,
) -> MessageRead:
    """Record a change to `target` as its own log entry and announce it after commit."""
    entry = await append(
        session,
        conversation,
        sender_id=actor_id,
        kind=kind,
        text=text,
        target_id=target.id,
        payload=change or None,
    )
    read = await render_one(session, entry, EVERYONE)
    publish_on_commit(session, frames.log_entry(frame_type, read))
    return read


async def append_system(
    session: AsyncSession,
    conversation: Conversation,
    actor_id: uuid.UUID,
    event: str,
    *,
    preceded_by: Callable[[int], Sequence[Publication]] = lambda _seq: (),
    **data: Any,
) -> MessageRead:
    """A system event (member joined, group renamed ...) as an entry of the log.
    `preceded_by(seq)`: what must reach sockets before it, knowing its seq (subscribing
    the members it adds, who may read the log from that seq on)."""
    payload = {"event": event, **{k: _jsonable(v) for k, v in data.items()}}
    message = await append(
        session, conversation, sender_id=actor_id, kind="system", payload=payload
    )
    read = await render_one(session, message, EVERYONE)
    publish_on_commit(session, *preceded_by(message.seq), frames.log_entry("message.new", read))
    return read


def _jsonable(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


async def send(
    session: AsyncSession,
    settings: Settings,
    sender_id: uuid.UUID,
    conversation_id: uuid.UUID,
    body: MessageCreate,
    *,
    permissions: frozenset[Permission],
) -> tuple[MessageRead, bool]:
    """Send a message; returns it and whether it is new (False: a retry of a stored one).
    `permissions`: the sender's (mention_all)."""
    conversation, member = await conversations.access_conversation(
        session, sender_id, conversation_id
    )
    existing = await repo.by_client_id(session, conversation.id, sender_id, body.client_msg_id)
    if existing is not None:
        return await render_one(session, existing, member.joined_seq), False
    attachments = await files.check_attachable(session, sender_id, body.attachments)
    text = body.text if body.text.strip() or not attachments else ""
    if not attachments or text:
        check_text(settings, text)
    check_can_post(
        conversation.admins_only,
        member.role,
        member.muted_until,
        archived=conversation.archived_at is not None,
    )
    reply_to = await _reply_target(session, member, body.reply_to)
    mentioned, mention_all = await _mentions(
        session, settings, conversation, member, body, permissions
    )
    return await post(
        session,
        conversation,
        member,
        body.client_msg_id,
        attachments,
        checked=True,
        kind="text",
        text=text,
        reply_to_id=reply_to,
        mentioned=mentioned,
        mention_all=mention_all,
    )


def group_archived() -> Forbidden:
    """An administrator archived the group (admin console): it is read-only for everyone."""
    return Forbidden("This group is archived: it is read-only.", code="group_archived")


def check_can_post(
    admins_only: bool, role: str, muted_until: datetime | None, *, archived: bool = False
) -> None:
    """`admins_only`: the group is muted for all but its admins ("mute all");
    `muted_until`: a group admin muted this member (禁言), which ends by itself; an
    archived group (admin console) is read-only for everyone."""
    if archived:
        raise group_archived()
    if admins_only and role == "member":
        raise Forbidden("Only group admins may post right now.", code="posting_restricted")
    if muted_until is not None and muted_until > utcnow():
        raise Forbidden(
            "A group admin muted you for a while.",
            code="member_muted",
            muted_until=muted_until.isoformat(),
        )


def check_text(settings: Settings, text: str) -> None:
    if not text.strip():
        raise Invalid("A message needs some text.", code="empty_message")
    if len(text) > settings.max_message_chars:
        raise Invalid(
            f"A message may have at most {settings.max_message_chars} characters.",
            code="message_too_long",
            limit=settings.max_message_chars,
        )


async def _reply_target(
    session: AsyncSession, member: Member, reply_to: uuid.UUID | None
) -> uuid.UUID | None:
    if reply_to is None:
        return None
    target = await repo.get(session, member.conversation_id, reply_to)
    if target is None or target.seq < member.joined_seq or target.kind not in CONTENT_KINDS:
        raise Invalid("The quoted message is not in this conversation.", code="reply_not_found")
    return target.id


async def _mentions(
    session: AsyncSession,
    settings: Settings,
    conversation: Conversation,
    member: Member,
    body: MessageCreate,
    permissions: frozenset[Permission],
) -> tuple[list[uuid.UUID], bool]:
    names, mention_all = mentions.parse(body.text)
    if mention_all:
        if conversation.type != "group":
            mention_all = False
        else:
            require(permissions, Permission.MENTION_ALL)
        if mention_all and conversations.ROLE_RANK[member.role] < max(
            conversations.ROLE_RANK[settings.all_mention_role],
            conversations.ROLE_RANK[conversation.mention_all_role],
        ):
            raise Forbidden("Only group admins may mention everyone.", code="mention_all_forbidden")
    candidates = set(body.mentions) | set(await users.ids_by_usernames(session, names))
    candidates.discard(member.user_id)
    found = await conversations.members_by_ids(session, conversation.id, list(candidates))
    return sorted(found), mention_all


async def history(
    session: AsyncSession,
    reader_id: uuid.UUID,
    conversation_id: uuid.UUID,
    *,
    after: int | None,
    before: int | None,
    limit: int,
) -> MessagePage:
    conversation, member = await conversations.access_conversation(
        session, reader_id, conversation_id
    )
    check_cursor(conversation, after)
    rows = await repo.page(
        session,
        conversation.id,
        min_seq=member.joined_seq,
        after=after,
        before=before,
        limit=limit + 1,
    )
    more = len(rows) > limit
    if more:
        rows = rows[:limit] if after is not None else rows[1:]
    return MessagePage(items=await render(session, rows, member.joined_seq), has_more=more)


def check_cursor(conversation: ConversationView, seq: int | None) -> None:
    if seq is not None and seq > conversation.last_seq:
        raise Invalid(
            f"Cursor {seq} is ahead of the conversation (last seq {conversation.last_seq}).",
            code="cursor_ahead",
            last_seq=conversation.last_seq,
        )


async def mark_read(
    session: AsyncSession, reader_id: uuid.UUID, conversation_id: uuid.UUID, seq: int
) -> ReadState:
    conversation, member = await conversations.access_conversation(
        session, reader_id, conversation_id
    )
    check_cursor(conversation, seq)
    if await conversations.advance_read(session, member, seq):
        publish_on_commit(session, frames.read_updated(conversation.id, reader_id, seq))
    counts = await repo.unread_counts(session, reader_id, [(conversation.id, member.last_read_seq)])
    return ReadState(
        conversation_id=conversation.id,
        last_read_seq=member.last_read_seq,
        unread_count=counts.get(conversation.id, 0),
    )


async def receipts(
    session: AsyncSession,
    reader_id: uuid.UUID,
    conversation_id: uuid.UUID,
    message_id: uuid.UUID,
) -> Receipts:
    """Who has read a message and who has not, among members who could see it."""
    conversation, member = await conversations.access_conversation(
        session, reader_id, conversation_id
    )
    message = await repo.get(session, conversation.id, message_id)
    if message is None or message.seq < member.joined_seq:
        raise NotFound("No such message.", code="message_not_found")
    read, unread = [], []
    for m in await conversations.members(session, conversation.id):
        if m.user_id == message.sender_id or m.joined_seq > message.seq:
            continue
        (read if m.last_read_seq >= message.seq else unread).append(m.user_id)
    return Receipts(
        message_id=message.id,
        seq=message.seq,
        read_count=len(read),
        unread_count=len(unread),
        read_user_ids=read,
        unread_user_ids=unread,
    )


async def access_message(
    session: AsyncSession,
    user_id: uuid.UUID,
    message_id: uuid.UUID,
    conversation_id: uuid.UUID | None = None,
) -> tuple[Conversation, Member, Message]:
    """A content message the user may read, with its conversation and the user's membership;
    404 for anything else (another conversation, before they joined, a system entry)."""
    if conversation_id is not None:
        # A stranger to the conversation learns nothing, not even that the message exists.
        await conversations.access_conversation(session, user_id, conversation_id)
    message = await repo.get_any(session, message_id)
    gone = NotFound("No such message.", code="message_not_found")
    if message is None or conversation_id not in (None, message.conversation_id):
        raise gone
    try:
        conversation, member = await conversations.access_conversation(
            session, user_id, message.conversation_id
        )
    except NotFound as exc:
        raise gone from exc
    if message.seq < member.joined_seq or message.kind not in CONTENT_KINDS:
        raise gone
    return conversation, member, message


def check_not_recalled(message: Message) -> None:
    if message.recalled_at is not None:
        raise Conflict("That message was recalled.", code="message_recalled")
