"""HTTP shape of conversations: list, create, settings, members, roles."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Query, Response, status

from parley.conversations.schemas import GroupPermissions, MemberRead
from parley.groups import join_requests, permissions, service, settings
from parley.groups.schemas import (
    ConversationCreate,
    ConversationDetail,
    ConversationUpdate,
    DirectCreate,
    JoinRequestRead,
    MemberPage,
    MembersAdded,
    MembersChange,
    MuteChange,
    OwnerTransfer,
    PermissionsUpdate,
    RoleChange,
    SettingsUpdate,
)
from parley.messages import inbox
from parley.messages.schemas import ConversationPage, MemberSettings
from parley.runtime import ReadSession, RuntimeDep, WriteSession
from parley.users.deps import CurrentUser

router = APIRouter(prefix="/conversations", tags=["conversations"])


@router.get("")
async def list_conversations(
    me: CurrentUser,
    rt: RuntimeDep,
    session: ReadSession,
    cursor: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    include_archived: bool = False,
) -> ConversationPage:
    """Your conversations: pinned ones first, then by latest activity, with unread counts
    and previews. Archived ones only with `include_archived`."""
    return await inbox.conversation_list(
        session,
        me.user_id,
        cursor=cursor,
        limit=min(limit, rt.settings.page_max),
        include_archived=include_archived,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": ConversationDetail, "description": "The existing direct chat."}},
)
async def create_conversation(
    body: Annotated[ConversationCreate, Body()],
    me: CurrentUser,
    session: WriteSession,
    response: Response,
) -> ConversationDetail:
    """Open the direct chat with `user_id` (200 if it exists), or create a group."""
    if isinstance(body, DirectCreate):
        conversation, created = await service.open_direct(session, me, body.user_id)
        if not created:
            response.status_code = status.HTTP_200_OK
    else:
        conversation = await service.create_group(session, me, body)
    return await service.detail(session, me.user_id, conversation.id)


@router.get("/{conversation_id}")
async def read_conversation(
    conversation_id: uuid.UUID, me: CurrentUser, session: ReadSession
) -> ConversationDetail:
    return await service.detail(session, me.user_id, conversation_id)


@router.patch("/{conversation_id}")
async def update_conversation(
    conversation_id: uuid.UUID, body: ConversationUpdate, me: CurrentUser, session: WriteSession
) -> ConversationDetail:
    """Change the name, topic, announcement (whom the group's `edit_info_role` allows), or
    mute the group (admins)."""
    await service.update(session, me.user_id, conversation_id, body)
    return await service.detail(session, me.user_id, conversation_id)


@router.get("/{conversation_id}/members")
async def list_members(
    conversation_id: uuid.UUID,
    me: CurrentUser,
    session: ReadSession,
    after: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> MemberPage:
    """Members with their roles and read cursors, by user id."""
    return await service.member_page(session, me.user_id, conversation_id, after=after, limit=limit)


@router.post("/{conversation_id}/members")
async def add_members(
    conversation_id: uuid.UUID, body: MembersChange, me: CurrentUser, session: WriteSession
) -> MembersAdded:
    """Add people (whom the group's `invite_role` allows). They read the log from their
    joining on, or all of it with `history_visible`. With `join_approval` a plain member's
    invitees are `pending` until a group admin approves."""
    return await service.add_members(session, me.user_id, conversation_id, body.user_ids)


@router.delete("/{conversation_id}/members")
async def remove_members(
    conversation_id: uuid.UUID, body: MembersChange, me: CurrentUser, session: WriteSession
) -> dict[str, list[uuid.UUID]]:
    """Group admins remove people; the removed lose all access at once."""
    return {
        "removed": await service.remove_members(session, me.user_id, conversation_id, body.user_ids)
    }


@router.post("/{conversation_id}/leave", status_code=status.HTTP_204_NO_CONTENT)
async def leave(conversation_id: uuid.UUID, me: CurrentUser, session: WriteSession) -> None:
    await service.leave(session, me.user_id, conversation_id)


@router.put("/{conversation_id}/members/{user_id}/role")
async def set_role(
    conversation_id: uuid.UUID,
    user_id: uuid.UUID,
    body: RoleChange,
    me: CurrentUser,
    session: WriteSession,
) -> MemberRead:
    """The owner makes members admins, or admins members."""
    member = await service.set_role(session, me.user_id, conversation_id, user_id, body.role)
    return MemberRead.model_validate(member)


@router.post("/{conversation_id}/transfer", status_code=status.HTTP_204_NO_CONTENT)
async def transfer(
    conversation_id: uuid.UUID, body: OwnerTransfer, me: CurrentUser, session: WriteSession
) -> None:
    """The owner hands the group to another member and becomes an admin."""
    await service.transfer_owner(session, me.user_id, conversation_id, body.user_id)


@router.patch("/{conversation_id}/settings")
async def update_settings(
    conversation_id: uuid.UUID, body: SettingsUpdate, me: CurrentUser, session: WriteSession
) -> MemberSettings:
    """Your own settings for this conversation: mute, pin to top, archive, draft."""
    return await settings.update(session, me.user_id, conversation_id, body)


@router.get("/{conversation_id}/permissions")
async def read_permissions(
    conversation_id: uuid.UUID, me: CurrentUser, session: ReadSession
) -> GroupPermissions:
    """The group's permission settings (any member)."""
    return await permissions.read(session, me.user_id, conversation_id)


@router.patch("/{conversation_id}/permissions")
async def update_permissions(
    conversation_id: uuid.UUID, body: PermissionsUpdate, me: CurrentUser, session: WriteSession
) -> GroupPermissions:
    """Group owners and admins change who may invite, @all, pin and edit the info, join
    approval, the member limit and whether new members read earlier history."""
    return await permissions.update(session, me.user_id, conversation_id, body)


@router.put("/{conversation_id}/members/{user_id}/mute")
async def mute_member(
    conversation_id: uuid.UUID,
    user_id: uuid.UUID,
    body: MuteChange,
    me: CurrentUser,
    session: WriteSession,
) -> MemberRead:
    """Mute a member below your role until a time (null: now unmuted); their sends are
    refused with 403 `member_muted` until then."""
    member = await permissions.mute(session, me.user_id, conversation_id, user_id, body.until)
    return MemberRead.model_validate(member)


@router.get("/{conversation_id}/join-requests")
async def list_join_requests(
    conversation_id: uuid.UUID, me: CurrentUser, session: ReadSession
) -> list[JoinRequestRead]:
    """Pending invitations waiting for a group admin (admins only)."""
    return await join_requests.listing(session, me.user_id, conversation_id)


@router.post(
    "/{conversation_id}/join-requests/{user_id}/approve",
    status_code=status.HTTP_204_NO_CONTENT,
)
async def approve_join_request(
    conversation_id: uuid.UUID, user_id: uuid.UUID, me: CurrentUser, session: WriteSession
) -> None:
    await join_requests.decide(session, me.user_id, conversation_id, user_id, approve=True)


@router.post(
    "/{conversation_id}/join-requests/{user_id}/reject",
    status_code=status.HTTP_204_NO_CONTENT,
)
async def reject_join_request(
    conversation_id: uuid.UUID, user_id: uuid.UUID, me: CurrentUser, session: WriteSession
) -> None:
    await join_requests.decide(session, me.user_id, conversation_id, user_id, approve=False)
