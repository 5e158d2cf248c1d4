"""HTTP shape of first-run setup."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from parley.org import branding as branding_service
from parley.org import service
from parley.org.schemas import Branding, BrandingUpdate, SetupRequest, SetupResponse, SetupState
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
