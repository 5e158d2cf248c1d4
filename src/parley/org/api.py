"""HTTP shape of first-run setup."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status

from parley.org import branding as branding_service
from parley.org import profile, service
from parley.org.schemas import (
    Branding,
    BrandingUpdate,
    ProfileCard,
    ProfileFields,
    ProfileFieldsUpdate,
    SetupRequest,
    SetupResponse,
    SetupState,
)
from parley.runtime import ReadSession, RuntimeDep, WriteSession
from parley.users.deps import CurrentUser, client_info, set_session_cookie

router = APIRouter(tags=["organization"])


@router.get("/setup")
async def setup_state(session: ReadSession) -> SetupState:
    """Whether this installation still needs its first-run setup."""
    return await service.state(session)


@router.post("/setup", status_code=status.HTTP_201_CREATED)
async def setup(
    body: SetupRequest,
    request: Request,
    response: Response,
    rt: RuntimeDep,
    session: WriteSession,
) -> SetupResponse:
    """Name the organisation and create the first administrator. Refused once done."""
    result = await service.setup(session, rt, body, *client_info(request))
    set_session_cookie(response, rt, result.login)
    return result


@router.get("/branding")
async def branding(session: ReadSession) -> Branding:
    """The organisation's name, colour and logo; public, so the sign-in page can use it."""
    return await branding_service.get(session)


@router.put("/branding")
async def update_branding(body: BrandingUpdate, me: CurrentUser, session: WriteSession) -> Branding:
    """Administrators brand the installation. Omitted fields stay; null resets to default."""
    return await branding_service.update(session, me, body)


@router.get("/org/profile-fields")
async def profile_fields(me: CurrentUser, session: ReadSession) -> ProfileFields:
    """Which contact fields colleagues see on a profile card."""
    return await profile.shown_fields(session)


@router.put("/org/profile-fields")
async def set_profile_fields(
    body: ProfileFieldsUpdate, me: CurrentUser, session: WriteSession
) -> ProfileFields:
    """Administrators choose the contact fields shown to colleagues."""
    return await profile.set_shown_fields(session, me, body.fields)


@router.get("/users/{user_id}/card")
async def profile_card(user_id: uuid.UUID, me: CurrentUser, session: ReadSession) -> ProfileCard:
    """A person's profile card, with the contact fields you may see (null when hidden)."""
    return await profile.card(session, me, user_id)
