"""HTTP shape of invitation links: manage them, and the public acceptance."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from parley.guests import service
from parley.guests.schemas import (
    InvitationAccept,
    InvitationCreate,
    InvitationCreated,
    InvitationPage,
    InvitationPreview,
    InvitationRead,
)
from parley.runtime import ReadSession, RuntimeDep, WriteSession
from parley.users.deps import CurrentUser, client_info, set_session_cookie
from parley.users.schemas import LoginResponse

router = APIRouter(tags=["guests"])
Token = Annotated[str, Path(min_length=1, max_length=200)]


@router.post("/invitations", status_code=status.HTTP_201_CREATED)
async def create_invitation(
    body: InvitationCreate, me: CurrentUser, session: WriteSession
) -> InvitationCreated:
    """Make an invitation link for guests (needs `manage_users`); its token is shown only
    in this answer. The groups listed are joined on acceptance."""
    return await service.create(session, me, body)


@router.get("/invitations")
async def list_invitations(
    me: CurrentUser,
    session: ReadSession,
    before: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> InvitationPage:
    """Invitation links, newest first, with how often each was used and its state."""
    return await service.page(session, me, before=before, limit=limit)


@router.post("/invitations/{invitation_id}/revoke")
async def revoke_invitation(
    invitation_id: uuid.UUID, me: CurrentUser, session: WriteSession
) -> InvitationRead:
    """Withdraw a link at once; the accounts it made stay."""
    return await service.revoke(session, me, invitation_id)


@router.get("/invite/{token}")
async def preview_invitation(token: Token, session: ReadSession) -> InvitationPreview:
    """Public: the organisation and groups an invitation leads to. 404 for an unknown link;
    410 `invitation_expired`, `invitation_revoked` or `invitation_used_up` for a dead one."""
    return await service.preview(session, token)


@router.post("/invite/{token}", status_code=status.HTTP_201_CREATED)
async def accept_invitation(
    token: Token, body: InvitationAccept, request: Request, response: Response, rt: RuntimeDep
) -> LoginResponse:
    """Public: create a guest account with the link and sign in (a cookie is set too)."""
    result = await service.accept(rt, token, body, *client_info(request))
    set_session_cookie(response, rt, result)
    return result
