"""Profile pictures. An avatar is an ordinary upload (POST /files: type sniffed from the
bytes, location metadata stripped, decompression bombs never decoded, quota counted),
chosen by its uploader and served as square WebP renditions in a few sizes.

Access: any signed-in colleague may see any current avatar (people appear everywhere,
also to those who share no conversation with them); the file itself stays private to
its uploader, and a picture that is no longer anyone's avatar is a 404 like any file."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from parley.core.errors import Invalid, PayloadTooLarge
from parley.files import repository as repo
from parley.files.models import File
from parley.files.previews import AVATAR_FAMILY, AVATAR_SIZES
from parley.files.renditions import Renditions, Source
from parley.files.service import file_not_found
from parley.users import service as users
from parley.users.models import User
from parley.users.principal import Principal

MAX_AVATAR_BYTES = 5 * 1024 * 1024


def family(size: int) -> str:
    return f"{AVATAR_FAMILY}{size}"


async def set_avatar(
    session: AsyncSession, renditions: Renditions, user_id: uuid.UUID, file_id: uuid.UUID
) -> User:
    """Make one of your own uploaded images your picture; its renditions are started."""
    file = await repo.get(session, file_id)
    if file is None or file.uploader_id != user_id:
        raise Invalid("Upload the picture first (POST /files).", code="avatar_file_not_found")
    if file.size > MAX_AVATAR_BYTES:
        raise PayloadTooLarge(
            f"A picture may be at most {MAX_AVATAR_BYTES // (1024 * 1024)} MB.",
            code="avatar_too_large",
            limit=MAX_AVATAR_BYTES,
        )
    meta = file.meta or {}
    if meta.get("too_large"):
        raise Invalid("The image has too many pixels.", code="image_too_large")
    if file.kind != "image" or meta.get("preview") != "image":
        raise Invalid("A picture must be a PNG, JPEG, GIF or WebP image.", code="not_an_image")
    user = await users.set_avatar(session, user_id, file.id)
    for size in AVATAR_SIZES:
        renditions.schedule(Source(file.sha256, file.mime, file.name), family(size), str(user_id))
    return user


async def access_avatar(session: AsyncSession, viewer: Principal, file_id: uuid.UUID) -> File:
    """A file that is the current picture of someone the viewer may see; 404 otherwise."""
    file = await repo.get(session, file_id)
    if file is None or not await users.access_avatar_owner(session, viewer, file.id):
        raise file_not_found()
    return file
