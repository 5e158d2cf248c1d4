"""Files: upload, download, renditions, a conversation's files, avatars."""

from __future__ import annotations

from parley.access.permissions import Permission
from tests.authz.callers import SIGNED_OUT
from tests.authz.table import BOTH, member_of, owned, permission, route, signed_in
from tests.authz.world import Call, Req
from tests.files.samples import png
from tests.files.support import BOUNDARY, multipart, upload

FILE = "/files/{file_id}"


async def upload_body(call: Call) -> Req:
    head, tail = multipart("matrix.png", png(), "image/png")
    return Req(
        content=head + png() + tail,
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )


async def own_or_shared(call: Call) -> Req:
    """Own: an image the caller just uploaded (not sent anywhere: only they may read it).
    Other: the image the group owner shared in the group."""
    if call.own == "own" and call.caller not in SIGNED_OUT:
        mine = await upload(call.api, "mine.png", png(), "image/png")
        return Req(params={"file_id": mine["id"]})
    return Req(params={"file_id": call.world.file})


async def avatar_of_peer(call: Call) -> Req:
    return Req(params={"file_id": call.world.avatar})


async def choose_avatar(call: Call) -> Req:
    """Own: an image the caller just uploaded. Other: someone else's picture."""
    if call.own == "own" and call.caller not in SIGNED_OUT:
        return Req(json={"file_id": (await upload(call.api, "me.png", png(), "image/png"))["id"]})
    return Req(json={"file_id": call.world.avatar})


# Your own upload is yours whatever your role; a shared file is its conversation's.
READ = {"policy": owned(signed_in(), member_of()), "ownership": BOTH, "build": own_or_shared}

SPECS = [
    # Guests hold upload_files too, so no caller without it exists among the system roles.
    route("POST", "/files", permission(201), perm=Permission.UPLOAD_FILES, build=upload_body),
    route("GET", FILE + "/info", **READ),
    route("GET", FILE, **READ),
    route("GET", FILE + "/thumbnail", **READ),
    route("GET", FILE + "/preview", **READ),
    route("GET", "/conversations/{conversation_id}/files", member_of()),
    # Only your own upload becomes your picture (422 avatar_file_not_found otherwise).
    route(
        "PUT",
        "/users/me/avatar",
        owned(signed_in(), signed_in(422)),
        ownership=BOTH,
        build=choose_avatar,
    ),
    route("DELETE", "/users/me/avatar", signed_in()),
    # The peer shares no conversation with the guest, who sees only their conversations'
    # people.
    route(
        "GET",
        "/avatars/{file_id}",
        signed_in(),
        build=avatar_of_peer,
        overrides={"guest": 404},
    ),
]
