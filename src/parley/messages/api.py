"""HTTP shape of the log: send, history, read state, receipts, sync."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from parley.core.errors import Invalid
from parley.core.values import MAX_INT32, parse_int32
from parley.messages import inbox, service
from parley.messages.rendered import RenderedLogDep
from parley.messages.schemas import (
    MessageCreate,
    MessagePage,
    MessageRead,
    ReadRequest,
    ReadState,
    Receipts,
    SyncRequest,
    SyncResponse,
)
from parley.messages.send_batch import SendRequest
from parley.messages.send_queue import SendQueueDep
from parley.runtime import ReadSession, RuntimeDep, WriteSession
from parley.users.deps import CurrentUser

router = APIRouter(tags=["messages"])
SeqQuery = Annotated[int | None, Query(ge=0, le=MAX_INT32)]


@router.post(
    "/conversations/{conversation_id}/messages",
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": MessageRead, "description": "A retry: the message already stored."}},
)
async def send_message(
    conversation_id: uuid.UUID,
    body: MessageCreate,
    me: CurrentUser,
    sends: SendQueueDep,
    response: Response,
) -> MessageRead:
    """Send a message. The reply comes after it is durably stored (201), or, for a retry
    with a `client_msg_id` already used, returns the stored message (200)."""
    message, created = await sends.send(
        SendRequest(me.user_id, conversation_id, body, me.permissions)
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return message


@router.get("/conversations/{conversation_id}/messages")
async def history(
    conversation_id: uuid.UUID,
    me: CurrentUser,
    rt: RuntimeDep,
    session: ReadSession,
    after: SeqQuery = None,
    before: SeqQuery = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> MessagePage:
    """A page of the log: entries after `after`, or the newest before `before` (default:
    the newest entries). Ascending by seq."""
    return await service.history(
        session,
        me.user_id,
        conversation_id,
        after=after,
        before=before,
        limit=min(limit, rt.settings.page_max),
    )


@router.post("/conversations/{conversation_id}/read")
async def mark_read(
    conversation_id: uuid.UUID, body: ReadRequest, me: CurrentUser, session: WriteSession
) -> ReadState:
    """Move your read cursor forward to `seq`; it never moves back."""
    return await service.mark_read(session, me.user_id, conversation_id, body.seq)


@router.get("/conversations/{conversation_id}/messages/{message_id}/receipts")
async def receipts(
    conversation_id: uuid.UUID, message_id: uuid.UUID, me: CurrentUser, session: ReadSession
) -> Receipts:
    """Who has read a message, and who has not."""
    return await service.receipts(session, me.user_id, conversation_id, message_id)


def _parse_cursors(raw: str) -> dict[uuid.UUID, int]:
    cursors: dict[uuid.UUID, int] = {}
    for part in filter(None, raw.split(",")):
        cid, sep, seq = part.partition(":")
        try:
            if not sep:
                raise ValueError(part)
            cursors[uuid.UUID(cid)] = parse_int32(seq)
        except ValueError as exc:
            raise Invalid(
                "cursors must look like <conversation_id>:<seq>,... with seqs from 0 to "
                f"{MAX_INT32}",
                code="invalid_cursor",
            ) from exc
    return cursors


@router.get("/sync", response_model=SyncResponse)
async def sync(
    me: CurrentUser,
    session: ReadSession,
    rendered: RenderedLogDep,
    cursors: Annotated[
        str, Query(max_length=16_000, description="<conversation_id>:<seq>,...")
    ] = "",
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> Response:
    """Catch up after being offline: missed entries after each cursor, paged."""
    page = await inbox.sync(session, me.user_id, _parse_cursors(cursors), limit, rendered)
    return Response(page.json(), media_type="application/json")


@router.post("/sync", response_model=SyncResponse)
async def sync_post(
    body: SyncRequest, me: CurrentUser, session: ReadSession, rendered: RenderedLogDep
) -> Response:
    """The same as `GET /sync`, for clients with too many cursors for a URL."""
    page = await inbox.sync(session, me.user_id, body.cursors, body.limit, rendered)
    return Response(page.json(), media_type="application/json")
