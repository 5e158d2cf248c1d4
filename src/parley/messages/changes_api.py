"""HTTP shape of changes to messages: edit, recall, reactions, pins."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path

from parley.messages import changes, pins, reactions
from parley.messages.schemas import EditHistory, MessageEdit, MessageRead, PinRead
from parley.runtime import ReadSession, RuntimeDep, WriteSession
from parley.users.deps import CurrentUser

router = APIRouter(prefix="/conversations/{conversation_id}", tags=["messages"])
MESSAGE = "/messages/{message_id}"
Emoji = Annotated[str, Path(max_length=64, description="One emoji, e.g. 👍")]


@router.patch(MESSAGE)
async def edit_message(
    conversation_id: uuid.UUID,
    message_id: uuid.UUID,
    body: MessageEdit,
    me: CurrentUser,
    rt: RuntimeDep,
    session: WriteSession,
) -> MessageRead:
    """Edit your own message within the edit window; members see an "edited" marker."""
    return await changes.edit(
        session, rt.settings, me.user_id, conversation_id, message_id, body.text
    )


@router.get(MESSAGE + "/edits")
async def edit_history(
    conversation_id: uuid.UUID, message_id: uuid.UUID, me: CurrentUser, session: ReadSession
) -> EditHistory:
    """Every version of a message, oldest first."""
    return await changes.history(session, me.user_id, conversation_id, message_id)


@router.post(MESSAGE + "/recall")
async def recall_message(
    conversation_id: uuid.UUID,
    message_id: uuid.UUID,
    me: CurrentUser,
    rt: RuntimeDep,
    session: WriteSession,
) -> MessageRead:
    """Recall (撤回): erase the message for everyone. Senders within the recall window;
    group admins any time."""
    return await changes.recall(session, rt.settings, me.user_id, conversation_id, message_id)


@router.put(MESSAGE + "/reactions/{emoji}")
async def add_reaction(
    conversation_id: uuid.UUID,
    message_id: uuid.UUID,
    emoji: Emoji,
    me: CurrentUser,
    session: WriteSession,
) -> MessageRead:
    return await reactions.set_reaction(
        session, me.user_id, conversation_id, message_id, emoji, on=True
    )


@router.delete(MESSAGE + "/reactions/{emoji}")
async def remove_reaction(
    conversation_id: uuid.UUID,
    message_id: uuid.UUID,
    emoji: Emoji,
    me: CurrentUser,
    session: WriteSession,
) -> MessageRead:
    return await reactions.set_reaction(
        session, me.user_id, conversation_id, message_id, emoji, on=False
    )


@router.post(MESSAGE + "/pin")
async def pin_message(
    conversation_id: uuid.UUID,
    message_id: uuid.UUID,
    me: CurrentUser,
    rt: RuntimeDep,
    session: WriteSession,
) -> list[PinRead]:
    """Pin a message (in a group whom its `pin_role` allows; anyone in a direct chat).
    Returns the pins."""
    return await pins.set_pin(
        session, rt.settings, me.user_id, conversation_id, message_id, on=True
    )


@router.delete(MESSAGE + "/pin")
async def unpin_message(
    conversation_id: uuid.UUID,
    message_id: uuid.UUID,
    me: CurrentUser,
    rt: RuntimeDep,
    session: WriteSession,
) -> list[PinRead]:
    return await pins.set_pin(
        session, rt.settings, me.user_id, conversation_id, message_id, on=False
    )


@router.get("/pins")
async def list_pins(
    conversation_id: uuid.UUID, me: CurrentUser, session: ReadSession
) -> list[PinRead]:
    """The conversation's pinned messages, most recently pinned first."""
    return await pins.pins(session, me.user_id, conversation_id)
