"""A user's saved messages across conversations (收藏).

A favourite is a reference, not a copy: it shows only while its owner may still read the
message, and a recall removes it, so saving never outlives access or erasure."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from parley.conversations import service as conversations
from parley.core.errors import NotFound
from parley.core.events import publication, user_topic
from parley.core.pagination import decode_cursor, encode_cursor
from parley.db.session import publish_on_commit
from parley.messages import repository as repo
from parley.messages.models import Favorite
from parley.messages.render import render
from parley.messages.schemas import FavoritePage, FavoriteRead
from parley.messages.service import access_message, check_not_recalled


async def add(session: AsyncSession, user_id: uuid.UUID, message_id: uuid.UUID) -> bool:
    """Save a message you can read; False if it was saved already."""
    _, _, message = await access_message(session, user_id, message_id)
    check_not_recalled(message)
    added = await repo.add_row(session, Favorite, user_id=user_id, message_id=message.id)
    if added:
        _announce(session, user_id, message.id, saved=True)
    return added


async def remove(session: AsyncSession, user_id: uuid.UUID, message_id: uuid.UUID) -> None:
    if not await repo.remove_row(session, Favorite, user_id=user_id, message_id=message_id):
        raise NotFound("That message is not in your favourites.", code="favorite_not_found")
    _announce(session, user_id, message_id, saved=False)


def _announce(
    session: AsyncSession, user_id: uuid.UUID, message_id: uuid.UUID, *, saved: bool
) -> None:
    """Your other devices update their favourites list."""
    publish_on_commit(
        session,
        publication(
            user_topic(user_id),
            {"type": "favorite.updated", "message_id": str(message_id), "saved": saved},
        ),
    )


async def page(
    session: AsyncSession, user_id: uuid.UUID, *, cursor: str | None, limit: int
) -> FavoritePage:
    """Newest saved first; entries the user can no longer read are left out."""
    rows = await repo.favorites_of(
        session, user_id, before=decode_cursor(cursor) if cursor else None, limit=limit + 1
    )
    more = len(rows) > limit
    rows = rows[:limit]
    joined = await conversations.joined_seqs(session, user_id)
    visible = [
        (f, m)
        for f, m in rows
        if m.conversation_id in joined and m.seq >= joined[m.conversation_id]
    ]
    rendered = await render(session, [m for _, m in visible], joined)
    last = rows[-1][0] if rows else None
    return FavoritePage(
        items=[
            FavoriteRead(message=r, saved_at=f.created_at)
            for (f, _), r in zip(visible, rendered, strict=True)
        ],
        next_cursor=encode_cursor(last.created_at, last.message_id) if more and last else None,
    )
