"""Emoji reactions on messages: toggled per user, counted per emoji, announced live."""

from __future__ import annotations

import uuid

import emoji as emoji_lib
from sqlalchemy.ext.asyncio import AsyncSession

from parley.core.errors import Conflict, Invalid
from parley.messages import repository as repo
from parley.messages.models import Reaction
from parley.messages.render import render_one
from parley.messages.schemas import MessageRead
from parley.messages.service import access_message, append_change, check_not_recalled

MAX_EMOJI_CHARS = 32
MAX_DISTINCT_EMOJI = 50


def check_emoji(value: str) -> str:
    if len(value) > MAX_EMOJI_CHARS or not emoji_lib.is_emoji(value):
        raise Invalid("A reaction must be a single emoji.", code="invalid_emoji")
    return value


async def set_reaction(
    session: AsyncSession,
    actor_id: uuid.UUID,
    conversation_id: uuid.UUID,
    message_id: uuid.UUID,
    emoji: str,
    *,
    on: bool,
) -> MessageRead:
    """Add (`on`) or take back your reaction; repeating either changes nothing."""
    check_emoji(emoji)
    conversation, member, message = await access_message(
        session, actor_id, message_id, conversation_id
    )
    check_not_recalled(message)
    keys = {"message_id": message.id, "user_id": actor_id, "emoji": emoji}
    if on:
        if await repo.distinct_emoji_count(session, message.id) >= MAX_DISTINCT_EMOJI:
            raise Conflict(
                "This message has too many different reactions.", code="too_many_reactions"
            )
        changed = await repo.add_row(session, Reaction, **keys)
    else:
        changed = await repo.remove_row(session, Reaction, **keys)
    if changed:
        await append_change(
            session,
            conversation,
            actor_id,
            message,
            "reaction",
            "reaction.updated",
            emoji=emoji,
            user_id=str(actor_id),
            added=on,
        )
    return await render_one(session, message, member.joined_seq)
