"""Pinned messages of a conversation: in a group those its `pin_role` allows pin
(admins unless changed), anyone in a direct chat."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from parley.config import Settings
from parley.conversations import service as conversations
from parley.core.errors import Conflict
from parley.messages import repository as repo
from parley.messages.models import Pin
from parley.messages.render import render
from parley.messages.schemas import PinRead
from parley.messages.service import access_message, append_change, check_not_recalled


async def set_pin(
    session: AsyncSession,
    settings: Settings,
    actor_id: uuid.UUID,
    conversation_id: uuid.UUID,
    message_id: uuid.UUID,
    *,
    on: bool,
) -> list[PinRead]:
    """Pin or unpin a message; returns the conversation's pins."""
    conversation, member, message = await access_message(
        session, actor_id, message_id, conversation_id
    )
    if conversation.type == "group":
        conversations.require_role(member, conversation.pin_role, "pin messages")
    if on:
        check_not_recalled(message)
        if await repo.pin_count(session, conversation.id) >= settings.max_pins:
            raise Conflict(
                f"A conversation keeps at most {settings.max_pins} pins.", code="too_many_pins"
            )
        changed = await repo.add_row(
            session,
            Pin,
            conversation_id=conversation.id,
            message_id=message.id,
            pinned_by=actor_id,
        )
    else:
        changed = await repo.remove_row(
            session, Pin, conversation_id=conversation.id, message_id=message.id
        )
    if changed:
        await append_change(
            session, conversation, actor_id, message, "pin", "pin.updated", pinned=on
        )
    return await pins(session, actor_id, conversation_id)


async def pins(
    session: AsyncSession, reader_id: uuid.UUID, conversation_id: uuid.UUID
) -> list[PinRead]:
    _, member = await conversations.access_conversation(session, reader_id, conversation_id)
    rows = [
        (p, m)
        for p, m in await repo.pins_of(session, conversation_id)
        if m.seq >= member.joined_seq
    ]
    rendered = await render(session, [m for _, m in rows], member.joined_seq)
    return [
        PinRead(message=r, pinned_by=p.pinned_by, pinned_at=p.pinned_at)
        for (p, _), r in zip(rows, rendered, strict=True)
    ]
