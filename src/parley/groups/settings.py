"""Each member's own settings for a conversation: mute, pin to top, archive, draft.

They follow the user across devices: every change is announced to their own sockets."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from parley.conversations import service as conversations
from parley.core.clock import utcnow
from parley.core.errors import Invalid
from parley.core.events import publication, user_topic
from parley.db.session import publish_on_commit
from parley.groups.schemas import SettingsUpdate
from parley.messages.inbox import member_settings
from parley.messages.schemas import MemberSettings


async def update(
    session: AsyncSession, user_id: uuid.UUID, conversation_id: uuid.UUID, body: SettingsUpdate
) -> MemberSettings:
    conversation, member = await conversations.access_conversation(
        session, user_id, conversation_id
    )
    changes = body.model_dump(exclude_unset=True)
    if any(v is None for v in changes.values()):
        raise Invalid("Settings cannot be null.", code="invalid_field")
    if "muted" in changes:
        member.muted = changes["muted"]
    if "pinned" in changes:
        member.pinned_at = (member.pinned_at or utcnow()) if changes["pinned"] else None
    if "archived" in changes:
        member.hidden_at = utcnow() if changes["archived"] else None
    if "draft" in changes:
        member.draft = changes["draft"]
    await session.flush()
    result = member_settings(conversation, member)
    publish_on_commit(
        session,
        publication(
            user_topic(user_id),
            {
                "type": "conversation.settings",
                "conversation_id": str(conversation.id),
                "settings": result.model_dump(mode="json"),
            },
        ),
    )
    return result
