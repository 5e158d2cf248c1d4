"""HTTP shape of message search."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from parley.core.values import Text, UTCTime
from parley.messages import search as service
from parley.messages.search_schemas import SearchPage
from parley.runtime import ScanSession
from parley.users.deps import CurrentUser

router = APIRouter(tags=["search"])


@router.get("/search")
async def search(
    me: CurrentUser,
    session: ScanSession,
    q: Annotated[
        Text,
        Query(
            description="Words to find (Chinese is segmented, so 项目进度 finds 项目的进度); "
            f"every word must match. At most {service.MAX_QUERY_CHARS} characters."
        ),
    ] = "",
    conversation_id: Annotated[uuid.UUID | None, Query(description="Only this one.")] = None,
    sender_id: Annotated[uuid.UUID | None, Query(description="Only sent by this user.")] = None,
    since: Annotated[
        UTCTime | None, Query(alias="from", description="Sent at or after (UTC if no offset).")
    ] = None,
    until: Annotated[
        UTCTime | None, Query(alias="to", description="Sent before (UTC if no offset).")
    ] = None,
    before: Annotated[
        str | None, Query(max_length=32, description="`next_cursor` of the previous page.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SearchPage:
    """Search the messages you may read, newest first, with a highlighted snippet and a
    link to open each one in context."""
    query = service.SearchQuery(
        q=q,
        conversation_id=conversation_id,
        sender_id=sender_id,
        since=since,
        until=until,
        before=before,
        limit=limit,
    )
    return await service.search(session, me.user_id, query)
