"""HTTP shape of security alerts: what administrators must hear about."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from parley.runtime import ReadSession, RuntimeDep
from parley.users import login_guard
from parley.users.deps import CurrentUser
from parley.users.schemas import SecurityAlertPage, SecurityAlertRead

router = APIRouter(prefix="/security", tags=["security"])


@router.get("/alerts")
async def list_alerts(
    me: CurrentUser,
    session: ReadSession,
    rt: RuntimeDep,
    before: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> SecurityAlertPage:
    """Administrators: security alerts, newest first (e.g. an account whose failed logins
    from many addresses reached PARLEY_LOGIN_ACCOUNT_CEILING)."""
    limit = min(limit, rt.settings.page_max)
    alerts = await login_guard.list_alerts(session, me, before=before, limit=limit + 1)
    page = alerts[:limit]
    return SecurityAlertPage(
        items=[SecurityAlertRead.model_validate(a) for a in page],
        next_cursor=page[-1].id if len(alerts) > limit else None,
    )
