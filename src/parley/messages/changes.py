"""Editing and recalling (撤回) messages. Each is an entry of the log with its own seq."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from parley.config import Settings
from parley.conversations import service as conversations
from parley.conversations.models import Conversation, Member
from parley.core.clock import utcnow
from parley.core.errors import Forbidden, Invalid
from parley.files import service as files
from parley.messages import repository as repo
from parley.messages import search_index
from parley.messages.render import render_one
from parley.messages.schemas import EditHistory, MessageRead, MessageVersion
from parley.messages.service import (
    access_message,
    append_change,
    append_system,
    check_not_recalled,
    check_text,
)


async def edit(
    session: AsyncSession,
    settings: Settings,
    actor_id: uuid.UUID,
    conversation_id: uuid.UUID,
    message_id: uuid.UUID,
    text: str,
) -> MessageRead:
    """Replace the text of your own message, within the edit window."""
    conversation, member, message = await access_message(
        session, actor_id, message_id, conversation_id
    )
    if message.sender_id != actor_id:
        raise Forbidden("You can only edit your own messages.", code="not_your_message")
    check_not_recalled(message)
    if message.kind != "text":
        raise Invalid("Only text messages can be edited.", code="not_editable")
    if utcnow() - message.created_at > timedelta(seconds=settings.edit_window_seconds):
        raise Forbidden("This message is too old to edit.", code="edit_window_passed")
    check_text(settings, text)
    if text == message.text:
        return await render_one(session, message, member.joined_seq)
    previous = message.text
    message.text, message.edited_at = text, utcnow()
    await session.flush()
    await search_index.index(session, message)
    await append_change(
        session, conversation, actor_id, message, "edit", "message.edited", text=previous
    )
    return await render_one(session, message, member.joined_seq)


async def recall(
    session: AsyncSession,
    settings: Settings,
    actor_id: uuid.UUID,
    conversation_id: uuid.UUID,
    message_id: uuid.UUID,
) -> MessageRead:
    """Erase a message for everyone: the sender within the recall window, or a group admin
    at any time. The content and its earlier versions are wiped, not hidden.

    A sender taking back their own message within the window is an ordinary recall
    (撤回). Anything more is an admin's erasure, and the log records it as a system event
    (`message_erased`: who, when, which message; never the content), so members see
    that a message was removed and by whom. Keeping the erased content sealed for a legal
    hold belongs to the compliance work (README, design notes); until then it is wiped."""
    conversation, member, message = await access_message(
        session, actor_id, message_id, conversation_id
    )
    if message.recalled_at is not None:
        return await render_one(session, message, member.joined_seq)
    in_window = utcnow() - message.created_at <= timedelta(seconds=settings.recall_window_seconds)
    own_recall = message.sender_id == actor_id and in_window
    if not own_recall and not _is_group_admin(conversation, member):
        if message.sender_id != actor_id:
            raise Forbidden("You can only recall your own messages.", code="not_your_message")
        raise Forbidden("This message is too old to recall.", code="recall_window_passed")
    await repo.erase(session, message)
    await files.detach(session, message.id)
    await search_index.unindex(session, message.id)
    message.recalled_at, message.recalled_by = utcnow(), actor_id
    await session.flush()
    await append_change(session, conversation, actor_id, message, "recall", "message.recalled")
    if not own_recall:
        await append_system(
            session,
            conversation,
            actor_id,
            "message_erased",
            message_id=message.id,
            message_seq=message.seq,
        )
    return await render_one(session, message, member.joined_seq)


def _is_group_admin(conversation: Conversation, member: Member) -> bool:
    return (
        conversation.type == "group"
        and conversations.ROLE_RANK[member.role] >= conversations.ROLE_RANK["admin"]
    )


async def history(
    session: AsyncSession, reader_id: uuid.UUID, conversation_id: uuid.UUID, message_id: uuid.UUID
) -> EditHistory:
    """Every version of a message, oldest first (empty once recalled)."""
    _, _, message = await access_message(session, reader_id, message_id, conversation_id)
    if message.recalled_at is not None:
        return EditHistory(message_id=message.id, versions=[])
    edits = await repo.edits_of(session, message.id)
    texts = [e.text for e in edits] + [message.text]
    times = [message.created_at] + [e.created_at for e in edits]
    return EditHistory(
        message_id=message.id,
        versions=[MessageVersion(text=t, at=at) for t, at in zip(texts, times, strict=True)],
    )
