"""Files: who may read them, attaching them to messages, and listing a conversation's
files. Permission lives here (`access_file`) so HTTP, the WebSocket and bots share it.

The rule: a file is readable by its uploader until it is attached; afterwards by exactly
the members who can read a live message carrying it (member of that conversation, the
message at or after the seq they joined at). Anyone else - a stranger, a removed
member, a guessed id - gets the same 404 as for a file that does not exist."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from parley.access import service as access
from parley.access.permissions import Permission
from parley.config import Settings
from parley.conversations import service as conversations
from parley.core.errors import Invalid, NotFound, PayloadTooLarge
from parley.core.pagination import decode_int_pair
from parley.files import repository as repo
from parley.files.models import File, MessageFile
from parley.files.schemas import FileRead, SharedFile, SharedFilePage
from parley.org import settings as org_settings
from parley.users import service as users
from parley.users.principal import Principal

API = "/api/v1"
MAX_ATTACHMENTS = 20
NOTES = {
    "none": {
        "en": "No preview for this file type; download it to open it.",
        "zh-CN": "此类文件暂不支持预览，请下载后打开。",
    },
    "office": {
        "en": "Office documents can be previewed once LibreOffice is installed on the "
        "server; until then, download the file to open it.",
        "zh-CN": "服务器安装 LibreOffice 后即可预览 Office 文档；目前请下载后打开。",
    },
    "too_large": {
        "en": "This image is too large to preview; download it to open it.",
        "zh-CN": "图片尺寸过大，无法预览，请下载后查看。",
    },
}


def file_not_found() -> NotFound:
    return NotFound("No such file.", code="file_not_found")


async def access_file(session: AsyncSession, user_id: uuid.UUID, file_id: uuid.UUID) -> File:
    """The file, if this user may read it; 404 otherwise."""
    file = await repo.get(session, file_id)
    if file is None:
        raise file_not_found()
    if file.attached_at is None:
        if file.uploader_id == user_id:
            return file
        raise file_not_found()
    for conversation_id, newest_seq in await repo.shares(session, file.id):
        try:
            _, member = await conversations.access_conversation(session, user_id, conversation_id)
        except NotFound:
            continue
        if newest_seq >= member.joined_seq:
            return file
    raise file_not_found()


async def check_quota(
    session: AsyncSession, settings: Settings, user_id: uuid.UUID, incoming: int
) -> None:
    quota = settings.upload_quota_bytes
    if quota and await repo.used_bytes(session, user_id) + incoming > quota:
        raise PayloadTooLarge(
            "This upload would exceed your storage quota.", code="quota_exceeded", quota=quota
        )


async def upload_limit(session: AsyncSession, settings: Settings, uploader: Principal) -> int:
    """403 without upload_files; else the largest file this uploader may send, in bytes:
    the organisation's limit unless a custom role of theirs sets its own
    (access/service.py `max_upload_bytes`)."""
    uploader.require(Permission.UPLOAD_FILES)
    return await upload_limit_of(session, settings, uploader.user_id)


async def upload_limit_of(session: AsyncSession, settings: Settings, user_id: uuid.UUID) -> int:
    """The largest file this user may send: the organisation's (org/settings.py) unless a
    custom role of theirs sets its own."""
    default = await org_settings.max_upload_bytes(session, settings)
    return await access.max_upload_bytes(session, user_id, default)


def check_size(limit: int, size: int) -> None:
    if size > limit:
        raise PayloadTooLarge(
            f"A file may be at most {limit} bytes.", code="file_too_large", limit=limit
        )


async def retried_upload(
    session: AsyncSession, uploader_id: uuid.UUID, sha256: str, name: str
) -> File | None:
    return await repo.unattached_twin(session, uploader_id, sha256, name)


async def record_upload(
    session: AsyncSession,
    settings: Settings,
    uploader_id: uuid.UUID,
    *,
    sha256: str,
    size: int,
    name: str,
    mime: str,
    kind: str,
    meta: dict[str, object],
) -> File:
    """Store the rows of an upload whose bytes are already in storage."""
    await check_quota(session, settings, uploader_id, size)
    await repo.add_blob(session, sha256, size, mime)
    file = File(
        sha256=sha256,
        uploader_id=uploader_id,
        name=name,
        mime=mime,
        kind=kind,
        size=size,
        meta=meta,
    )
    await repo.add_file(session, file)
    return file


async def check_attachable(
    session: AsyncSession, user_id: uuid.UUID, file_ids: Sequence[uuid.UUID]
) -> list[File]:
    """The files a message is about to carry: each must be readable by its sender
    (their own upload, or a file they can already see elsewhere)."""
    ids = list(dict.fromkeys(file_ids))
    if len(ids) > MAX_ATTACHMENTS:
        raise Invalid(f"A message may carry at most {MAX_ATTACHMENTS} files.")
    files = []
    for file_id in ids:
        try:
            files.append(await access_file(session, user_id, file_id))
        except NotFound as exc:
            raise Invalid(
                "An attachment does not exist or is not yours to share.",
                code="attachment_not_found",
                file_id=str(file_id),
            ) from exc
    return files


async def attach(
    session: AsyncSession,
    files: Sequence[File],
    *,
    message_id: uuid.UUID,
    conversation_id: uuid.UUID,
    seq: int,
    sender_id: uuid.UUID | None,
    at: datetime,
) -> None:
    """Share files through a message, in the caller's transaction."""
    if not files:
        return
    links = [
        MessageFile(
            message_id=message_id,
            file_id=f.id,
            position=i,
            conversation_id=conversation_id,
            seq=seq,
            sender_id=sender_id,
            created_at=at,
        )
        for i, f in enumerate(files)
    ]
    await repo.attach(session, files, links, at)


async def detach(session: AsyncSession, message_id: uuid.UUID) -> None:
    """A recalled message no longer shares its files (with anyone, uploader included)."""
    await repo.detach(session, message_id)


async def attachments_of(
    session: AsyncSession, message_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[FileRead]]:
    """The files carried by each message, in one query."""
    out: dict[uuid.UUID, list[FileRead]] = {}
    for message_id, file in await repo.of_messages(session, message_ids):
        out.setdefault(message_id, []).append(to_read(file))
    return out


async def shared_in(
    session: AsyncSession,
    user_id: uuid.UUID,
    conversation_id: uuid.UUID,
    *,
    query: str | None,
    kind: str | None,
    before: str | None,
    limit: int,
) -> SharedFilePage:
    """The files view of a conversation: what was shared since the user joined."""
    _, member = await conversations.access_conversation(session, user_id, conversation_id)
    rows = await repo.in_conversation(
        session,
        conversation_id,
        min_seq=member.joined_seq,
        before=decode_int_pair(before) if before else None,
        query=query.strip() if query else None,
        kind=kind,
        limit=limit + 1,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    items = [shared for _, shared in await _shared(session, rows)]
    cursor = f"{rows[-1][0].seq}.{rows[-1][0].position}" if more and rows else None
    return SharedFilePage(items=items, next_cursor=cursor)


async def named(
    session: AsyncSession,
    user_id: uuid.UUID,
    words: Sequence[str],
    *,
    conversation_id: uuid.UUID | None = None,
    sender_id: uuid.UUID | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int,
) -> list[tuple[uuid.UUID, SharedFile]]:
    """Files whose name contains every word, as (conversation id, share), newest first;
    only shares the user may read under the rule above, so search never shows a file
    that `access_file` would refuse."""
    if not words:
        return []
    rows = await repo.named(
        session,
        user_id,
        words,
        conversation_id=conversation_id,
        sender_id=sender_id,
        since=since,
        until=until,
        limit=limit,
    )
    return await _shared(session, rows)


async def _shared(
    session: AsyncSession, rows: Sequence[tuple[MessageFile, File]]
) -> list[tuple[uuid.UUID, SharedFile]]:
    names = await users.get_users(session, [mf.sender_id for mf, _ in rows if mf.sender_id])
    return [
        (
            mf.conversation_id,
            SharedFile(
                file=to_read(f),
                message_id=mf.message_id,
                seq=mf.seq,
                sender_id=mf.sender_id,
                sender_name=names[mf.sender_id].display_name if mf.sender_id in names else "",
                shared_at=mf.created_at,
            ),
        )
        for mf, f in rows
    ]


def to_read(file: File) -> FileRead:
    meta = file.meta or {}
    preview = str(meta.get("preview", "none"))
    note = None
    if preview == "none":
        note = NOTES["too_large"] if meta.get("too_large") else NOTES["none"]
        if meta.get("office"):
            note = NOTES["office"]
    has_thumb = file.kind in ("image", "video") or file.mime == "application/pdf"
    return FileRead(
        id=file.id,
        name=file.name,
        kind=file.kind,  # type: ignore[arg-type]
        mime=file.mime,
        size=file.size,
        width=meta.get("width"),  # type: ignore[arg-type]
        height=meta.get("height"),  # type: ignore[arg-type]
        duration_ms=meta.get("duration_ms"),  # type: ignore[arg-type]
        waveform=meta.get("waveform"),  # type: ignore[arg-type]
        preview=preview,  # type: ignore[arg-type]
        preview_note=note,
        url=f"{API}/files/{file.id}",
        thumbnail_url=f"{API}/files/{file.id}/thumbnail"
        if has_thumb and preview != "none"
        else None,
        uploader_id=file.uploader_id,
        created_at=file.created_at,
    )
