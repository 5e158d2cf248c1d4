"""Forwarding: messages copied one by one, or merged into one chat-history card (合并转发).

The copies carry their content with them, so recipients read exactly the forwarded
messages and gain no access to the source conversation."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from parley.config import Settings
from parley.conversations import service as conversations
from parley.conversations.models import Conversation, Member
from parley.core.errors import NotFound
from parley.files import service as files
from parley.messages import repository as repo
from parley.messages.models import Message
from parley.messages.render import CONTENT_KINDS
from parley.messages.schemas import ForwardRequest, MessageRead
from parley.messages.service import check_can_post, post
from parley.users import service as users


async def forward(
    session: AsyncSession, settings: Settings, actor_id: uuid.UUID, body: ForwardRequest
) -> list[MessageRead]:
    source, member = await conversations.access_conversation(
        session, actor_id, body.conversation_id
    )
    messages = await _forwardable(session, source, member, body.message_ids)
    targets = [
        await conversations.access_conversation(session, actor_id, t)
        for t in dict.fromkeys(body.target_ids)
    ]
    for conversation, target_member in targets:
        check_can_post(
            conversation.admins_only,
            target_member.role,
            target_member.muted_until,
            archived=conversation.archived_at is not None,
        )
    # Files travel with their messages: the copies (or the card) carry them, which is
    # what lets recipients open them without access to the source.
    found = await files.attachments_of(session, [m.id for m in messages])
    attached = {
        message_id: await files.check_attachable(session, actor_id, [f.id for f in reads])
        for message_id, reads in found.items()
    }
    card = await _card(session, source, messages, attached) if body.merge else None
    sent: list[MessageRead] = []
    for t, (conversation, target_member) in enumerate(targets):
        if card is not None:
            everything = [f for m in messages for f in attached.get(m.id, [])]
            read, _ = await post(
                session,
                conversation,
                target_member,
                f"{body.client_msg_id}:{t}",
                everything,
                kind="forward",
                payload=card,
            )
            sent.append(read)
            continue
        for i, m in enumerate(messages):
            read, _ = await post(
                session,
                conversation,
                target_member,
                f"{body.client_msg_id}:{t}:{i}",
                attached.get(m.id, []),
                **_copy(m),
            )
            sent.append(read)
    return sent


async def _forwardable(
    session: AsyncSession, source: Conversation, member: Member, ids: list[uuid.UUID]
) -> list[Message]:
    """The requested messages, all readable content of the source, in log order."""
    found = {
        m.id: m
        for m in await repo.by_ids(session, ids)
        if m.conversation_id == source.id
        and m.seq >= member.joined_seq
        and m.kind in CONTENT_KINDS
        and m.recalled_at is None
    }
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(f"Message {missing[0]} cannot be forwarded.", code="message_not_found")
    return sorted(found.values(), key=lambda m: m.seq)


def _copy(m: Message) -> dict[str, Any]:
    if m.kind == "forward":
        return {"kind": "forward", "payload": m.payload}
    origin = {"sender_id": str(m.sender_id), "created_at": m.created_at.isoformat()}
    return {"kind": "text", "text": m.text, "payload": {"forwarded_from": origin}}


async def _card(
    session: AsyncSession,
    source: Conversation,
    messages: list[Message],
    attached: dict[uuid.UUID, list[files.File]],
) -> dict[str, Any]:
    """The content of a chat-history card; clients word its title in their language."""
    names = await users.get_users(session, [m.sender_id for m in messages if m.sender_id])
    return {
        "source": {"type": source.type, "name": source.name},
        "items": [
            {
                "sender_id": str(m.sender_id),
                "sender_name": names[m.sender_id].display_name if m.sender_id in names else "",
                "created_at": m.created_at.isoformat(),
                "kind": m.kind,
                "text": m.text,
                "attachment_ids": [str(f.id) for f in attached.get(m.id, [])],
                **({"forward": m.payload} if m.kind == "forward" else {}),
            }
            for m in messages
        ],
    }
