"""HTTP shape of profile pictures: choose one of your uploads, and serve the renditions."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from parley.core.errors import Invalid, Problem
from parley.core.schema import RequestModel
from parley.files import avatars, http
from parley.files.previews import AVATAR_SIZES
from parley.files.runtime import FilesDep
from parley.runtime import ReadSession, WriteSession
from parley.users import service as users
from parley.users.deps import CurrentUser
from parley.users.schemas import UserRead

router = APIRouter(tags=["users"])
# The URL names the picture's file: a new picture is a new URL, so this one never changes.
CACHE = "private, max-age=31536000, immutable"


class AvatarChoice(RequestModel):
    file_id: uuid.UUID


class AvatarPending(Problem):
    status, code, title = 503, "avatar_pending", "Picture being made"


@router.put("/users/me/avatar")
async def set_my_avatar(
    body: AvatarChoice, me: CurrentUser, session: WriteSession, files: FilesDep
) -> UserRead:
    """Use one of your uploaded images (POST /files; at most 5 MB) as your picture.
    The client crops it square; anything else is cropped to its centre."""
    user = await avatars.set_avatar(session, files.renditions, me.user_id, body.file_id)
    return UserRead.model_validate(user)


@router.delete("/users/me/avatar")
async def remove_my_avatar(me: CurrentUser, session: WriteSession) -> UserRead:
    """Go back to the initials."""
    return UserRead.model_validate(await users.set_avatar(session, me.user_id, None))


@router.get("/avatars/{file_id}", response_class=Response)
async def avatar(
    file_id: uuid.UUID,
    me: CurrentUser,
    session: ReadSession,
    files: FilesDep,
    size: Annotated[int, Query(description="64, 128 or 256 (px)")] = 128,
) -> Response:
    """A profile picture as a square WebP, for any signed-in colleague. Cached for good
    (the URL changes with the picture); 503 while it is still being made."""
    if size not in AVATAR_SIZES:
        raise Invalid("size must be 64, 128 or 256.", code="invalid_size", sizes=AVATAR_SIZES)
    file = await avatars.access_avatar(session, me, file_id)
    made = await http.rendition(files, file, avatars.family(size), 1, me.user_id)
    if made is None:
        raise AvatarPending("The picture is being made; try again.", retry_after=1)
    return Response(
        made[0],
        media_type="image/webp",
        headers={
            "Cache-Control": CACHE,
            "ETag": f'"{file.sha256}-{size}"',
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": http.SANDBOX_CSP,
            "Cross-Origin-Resource-Policy": "same-origin",
        },
    )
