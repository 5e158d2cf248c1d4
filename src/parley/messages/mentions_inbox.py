"""The "mentions of me" view: messages that name me or @all, in conversations I can read."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from parley.conversations import service as conversations
from parley.messages import repository as repo
from parley.messages.render import render
from parley.messages.schemas import MessagePageByCursor


async def mentions_of(
    session: AsyncSession, user_id: uuid.UUID, *, before: uuid.UUID | None, limit: int
) -> MessagePageByCursor:
    """Newest first. Named mentions come from their own index; `@all` from the flag on the
    message (one row per message, not one per member)."""
    joined = await conversations.joined_seqs(session, user_id)
    named = await repo.mentioning(session, user_id, before=before, limit=limit + 1)
    everyone = await repo.mentioning_all(
        session, list(joined), user_id, before=before, limit=limit + 1
    )
    merged = {m.id: m for m in named + everyone}
    ordered = sorted(merged.values(), key=lambda m: m.id, reverse=True)
    more = len(ordered) > limit
    ordered = ordered[:limit]
    visible = [
        m
        for m in ordered
        if m.conversation_id in joined
        and m.seq >= joined[m.conversation_id]
        and m.recalled_at is None
    ]
    return MessagePageByCursor(
        items=await render(session, visible, joined),
        next_cursor=ordered[-1].id if more and ordered else None,
    )
