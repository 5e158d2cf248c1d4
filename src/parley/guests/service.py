"""Invitation links: those who manage users make them; someone outside the organisation
opens one, chooses an account and lands signed in as a guest, in the invitation's groups."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from parley.access.permissions import Permission
from parley.conversations import service as conversations
from parley.core.clock import utcnow
from parley.core.errors import Invalid, NotFound, Problem
from parley.db.session import write_scope
from parley.groups import service as groups
from parley.guests import repository as repo
from parley.guests.models import Invitation
from parley.guests.schemas import (
    InvitationAccept,
    InvitationCreate,
    InvitationCreated,
    InvitationPage,
    InvitationPreview,
    InvitationRead,
    InvitationState,
    InvitedGroup,
)
from parley.org import branding
from parley.runtime import Runtime
from parley.security.login_policy import source_of
from parley.security.tokens import new_token, token_hash
from parley.users import service as users
from parley.users.principal import Principal
from parley.users.schemas import LoginResponse, Registration

GUEST = "guest"
MAX_VALIDITY = timedelta(days=366)
INVITE_PATH = "/invite/"


class InvitationGone(Problem):
    status, code, title = 410, "invitation_gone", "Invitation no longer valid"


_GONE = {
    "expired": "This invitation has expired.",
    "revoked": "This invitation was withdrawn.",
    "used_up": "This invitation has been used as often as it allows.",
}


def state_of(invitation: Invitation) -> InvitationState:
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.expires_at <= utcnow():
        return "expired"
    if invitation.max_uses is not None and invitation.uses >= invitation.max_uses:
        return "used_up"
    return "active"


def read(invitation: Invitation) -> InvitationRead:
    return InvitationRead(
        id=invitation.id,
        note=invitation.note,
        created_by=invitation.created_by,
        created_at=invitation.created_at,
        expires_at=invitation.expires_at,
        max_uses=invitation.max_uses,
        uses=invitation.uses,
        revoked_at=invitation.revoked_at,
        group_ids=[uuid.UUID(g) for g in invitation.group_ids],
        account_expires_at=invitation.account_expires_at,
        state=state_of(invitation),
    )


async def create(
    session: AsyncSession, actor: Principal, body: InvitationCreate
) -> InvitationCreated:
    actor.require(Permission.MANAGE_USERS)
    now = utcnow()
    if not now < body.expires_at <= now + MAX_VALIDITY:
        raise Invalid("expires_at must be in the coming year.", code="invalid_expiry")
    group_ids = list(dict.fromkeys(body.group_ids))
    for group_id in group_ids:  # the creator adds the guest: they must be able to
        conversation, member = await conversations.access_conversation(
            session, actor.user_id, group_id
        )
        if conversation.type != "group":
            raise Invalid("Guests are invited into groups only.", code="not_a_group")
        conversations.require_role(member, "admin", "invite guests into the group")
    token = new_token()
    invitation = Invitation(
        token_hash=token_hash(token),
        note=body.note,
        created_by=actor.user_id,
        expires_at=body.expires_at,
        max_uses=body.max_uses,
        group_ids=[str(g) for g in group_ids],
        account_expires_at=body.account_expires_at,
    )
    session.add(invitation)
    await session.flush()
    return InvitationCreated(**read(invitation).model_dump(), token=token, url=INVITE_PATH + token)


async def page(
    session: AsyncSession, actor: Principal, *, before: uuid.UUID | None, limit: int
) -> InvitationPage:
    actor.require(Permission.MANAGE_USERS)
    rows = await repo.page(session, before=before, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return InvitationPage(items=[read(i) for i in rows], next_cursor=rows[-1].id if more else None)


async def revoke(
    session: AsyncSession, actor: Principal, invitation_id: uuid.UUID
) -> InvitationRead:
    """Withdraw a link: it stops working at once; accounts made with it stay."""
    actor.require(Permission.MANAGE_USERS)
    invitation = await repo.get(session, invitation_id)
    if invitation is None:
        raise NotFound("No such invitation.", code="invitation_not_found")
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        await session.flush()
    return read(invitation)


async def _live(session: AsyncSession, token: str) -> Invitation:
    """The invitation of a token: 404 for an unknown one, 410 naming why for one that
    no longer works (the invitee should ask for a new link, not retry)."""
    invitation = await repo.by_token_hash(session, token_hash(token)) if token else None
    if invitation is None:
        raise NotFound("No such invitation.", code="invitation_not_found")
    state = state_of(invitation)
    if state != "active":
        raise InvitationGone(_GONE[state], code=f"invitation_{state}")
    return invitation


async def preview(session: AsyncSession, token: str) -> InvitationPreview:
    invitation = await _live(session, token)
    named = []
    for group_id in invitation.group_ids:
        group = await conversations.get(session, uuid.UUID(group_id))
        if group is not None:
            named.append(InvitedGroup(id=group.id, name=group.name))
    return InvitationPreview(
        organization=await branding.get(session),
        groups=named,
        expires_at=invitation.expires_at,
    )


async def accept(
    rt: Runtime, token: str, body: InvitationAccept, user_agent: str, ip: str
) -> LoginResponse:
    """Anyone holding the link may call this, so it hashes as registration does: on a
    place of the hashing pool and before its transaction. The use is counted in the same
    transaction that creates the account, so a failed sign-up (name taken) costs none."""
    async with write_scope(rt.db, rt.publish) as session:
        await _live(session, token)
    with rt.passwords.place(source_of(ip)):
        password_hash = await rt.passwords.hash(body.password)
    async with write_scope(rt.db, rt.publish) as session:
        if await repo.claim(session, token_hash(token), utcnow()) is None:
            await _live(session, token)  # raises why
            raise InvitationGone(_GONE["expired"], code="invitation_expired")
        invitation = await repo.by_token_hash(session, token_hash(token))
        assert invitation is not None  # claimed just now, in this transaction
        registration = Registration(
            username=body.username,
            password=body.password,
            display_name=body.display_name,
            email=body.email,
        )
        user = await users.create_user(
            session, rt, registration, role=GUEST, password_hash=password_hash
        )
        user.expires_at = invitation.account_expires_at
        await session.flush()
        await _join_groups(session, invitation, user.id)
        return await users.open_session_for(session, rt, user, user_agent, ip)


async def _join_groups(session: AsyncSession, invitation: Invitation, user_id: uuid.UUID) -> None:
    """Add the guest to the invitation's groups, as its creator. A group the creator may no
    longer add people to (they left it, it is gone) is skipped, not an error for the guest."""
    if invitation.created_by is None:
        return
    for group_id in invitation.group_ids:
        try:
            async with session.begin_nested():
                await groups.add_members(
                    session, invitation.created_by, uuid.UUID(group_id), [user_id]
                )
        except Problem:
            continue
