"""HTTP shape of first-run setup."""

from __future__ import annotations

import uuid

import orjson
from fastapi import APIRouter, Request, Response, status
from starlette.concurrency import run_in_threadpool

from parley.core.errors import NotFound
from parley.org import app_icons, profile, service
from parley.org import branding as branding_service
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


@router.get("/branding/manifest.webmanifest", include_in_schema=False)
async def web_app_manifest(session: ReadSession) -> Response:
    """The installable app's manifest, in the organisation's name and colours. Not cached:
    a rebranding reaches installed apps at their next start."""
    body = app_icons.manifest(await branding_service.get(session))
    return Response(
        orjson.dumps(body),
        media_type="application/manifest+json",
        headers={"Cache-Control": "no-cache"},
    )


@router.get("/branding/icons/{name}.png", include_in_schema=False)
async def app_icon(name: str, session: ReadSession) -> Response:
    """A home-screen icon named in the manifest (`192`, `512`, `maskable-512`). Its URL
    carries the branding's version, so it may be cached for a day."""
    # Drawing takes tens of milliseconds the first time (then it is cached): off the loop.
    png = await run_in_threadpool(app_icons.icon_png, await branding_service.get(session), name)
    if png is None:
        raise NotFound("No such icon.", code="not_found")
    return Response(png, media_type="image/png", headers={"Cache-Control": "public, max-age=86400"})
