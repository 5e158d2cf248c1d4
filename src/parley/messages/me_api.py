"""HTTP shape of what belongs to one user across conversations: favourites, mentions,
forwarding, and permalinks."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from parley.messages import favorites, forward, links, mentions_inbox
from parley.messages.schemas import (
    FavoriteCreate,
    FavoritePage,
    ForwardRequest,
    MessageInContext,
    MessagePageByCursor,
    MessageRead,
)
from parley.runtime import ReadSession, RuntimeDep, WriteSession
from parley.users.deps import CurrentUser

router = APIRouter(tags=["messages"])
Limit = Annotated[int, Query(ge=1, le=200)]


@router.get("/favorites")
async def list_favorites(
    me: CurrentUser,
    session: ReadSession,
    cursor: Annotated[str | None, Query(max_length=100)] = None,
    limit: Limit = 50,
) -> FavoritePage:
    """Your saved messages, newest first."""
    return await favorites.page(session, me.user_id, cursor=cursor, limit=limit)


@router.post("/favorites", status_code=status.HTTP_201_CREATED)
async def add_favorite(
    body: FavoriteCreate, me: CurrentUser, session: WriteSession, response: Response
) -> dict[str, uuid.UUID]:
    """Save a message you can read (200 if it was saved already)."""
    if not await favorites.add(session, me.user_id, body.message_id):
        response.status_code = status.HTTP_200_OK
    return {"message_id": body.message_id}


@router.delete("/favorites/{message_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_favorite(message_id: uuid.UUID, me: CurrentUser, session: WriteSession) -> None:
    await favorites.remove(session, me.user_id, message_id)


@router.get("/mentions")
async def list_mentions(
    me: CurrentUser, session: ReadSession, before: uuid.UUID | None = None, limit: Limit = 50
) -> MessagePageByCursor:
    """Messages that mention you or @all, newest first."""
    return await mentions_inbox.mentions_of(session, me.user_id, before=before, limit=limit)


@router.post("/forward", status_code=status.HTTP_201_CREATED)
async def forward_messages(
    body: ForwardRequest, me: CurrentUser, rt: RuntimeDep, session: WriteSession
) -> list[MessageRead]:
    """Forward messages to other conversations, one by one or merged into a chat-history
    card. Retrying with the same `client_msg_id` sends nothing twice."""
    return await forward.forward(session, rt.settings, me.user_id, body)


@router.get("/messages/{message_id}")
async def locate_message(
    message_id: uuid.UUID,
    me: CurrentUser,
    session: ReadSession,
    around: Annotated[int, Query(ge=0, le=100)] = 20,
) -> MessageInContext:
    """Open a permalink: the message with `around` entries on each side, if you may read it."""
    return await links.locate(session, me.user_id, message_id, around)
