"""Each member permission is checked where the action happens: refused without it (403
`permission_required`), allowed once a custom role grants it."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from parley.access.permissions import SYSTEM_ROLES, Permission
from parley.calls import service as calls
from parley.core.clock import utcnow
from parley.core.errors import Forbidden
from parley.db.session import read_scope
from parley.files import service as files
from parley.users.principal import Principal
from tests.files.support import upload_raw
from tests.helpers import (
    Api,
    Server,
    create_group,
    create_user,
    grant,
    problem,
    set_roles,
    setup_admin,
)

MIB = 1024 * 1024


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    # Group members may @all here, so only the permission decides; a small upload limit.
    return {"all_mention_role": "member", "max_upload_bytes": MIB}


async def _guest(owner: Api, name: str | None = None) -> Api:
    guest = await create_user(owner, name)
    await set_roles(owner, guest, system_role="guest")
    return guest


async def test_create_groups(server: Server) -> None:
    owner = await setup_admin(server)
    guest = await _guest(owner)
    body = {"type": "group", "name": "外部群", "member_ids": [owner.user_id]}
    problem(await guest.post("/conversations", json=body), 403, "permission_required")
    await grant(owner, guest, "create_groups")
    assert (await guest.post("/conversations", json=body)).status_code == 201


async def test_mention_all_over_http_and_socket(server: Server) -> None:
    owner = await setup_admin(server)
    guest = await _guest(owner)
    cid = await create_group(owner, guest)
    body = {"client_msg_id": "a1", "text": "@all 开会"}
    r = await guest.post(f"/conversations/{cid}/messages", json=body)
    assert problem(r, 403, "permission_required")["permission"] == "mention_all"
    ws = await guest.ws()
    await ws.send({"type": "message.send", "ref": "s1", "conversation_id": cid, **body})
    assert (await ws.expect("error", ref="s1"))["code"] == "permission_required"
    # Naming a colleague needs nothing.
    await guest.send(cid, f"@{owner.user['username']} 你好")
    await grant(owner, guest, "mention_all")
    await ws.expect("permissions.changed")
    assert (await guest.post(f"/conversations/{cid}/messages", json=body)).status_code == 201
    await ws.send(
        {"type": "message.send", "ref": "s2", "conversation_id": cid, **body, "client_msg_id": "a2"}
    )
    ack = await ws.expect("message.ack", ref="s2")
    assert ack["message"]["mention_all"] is True
    await ws.close()


async def test_view_directory(server: Server) -> None:
    owner = await setup_admin(server)
    guest = await _guest(owner, "guest1")
    colleague = await create_user(owner, "colleague")
    stranger = await create_user(owner, "stranger")
    await create_group(colleague, guest)

    async def found() -> set[str]:
        r = await guest.get("/users")
        assert r.status_code == 200, r.text
        return {u["username"] for u in r.json()["items"]}

    assert await found() == {"guest1", "colleague"}
    assert (await guest.get("/users", params={"q": "stranger"})).json()["items"] == []
    await grant(owner, guest, "view_directory")
    assert await found() == {"admin", "guest1", "colleague", "stranger"}
    assert stranger.user_id  # seen now


async def test_a_role_sets_the_upload_limit(server: Server) -> None:
    owner = await setup_admin(server)
    member = await create_user(owner)
    big = b"x" * (MIB + MIB // 2)
    body = problem(await upload_raw(member, "big.bin", big), 413, "file_too_large")
    assert body["limit"] == MIB  # the organisation's
    await grant(owner, member, max_upload_mb=2)
    assert (await member.get("/limits")).json()["max_upload_bytes"] == 2 * MIB
    assert (await upload_raw(member, "big.bin", big)).status_code == 201
    # Several roles with limits: the most generous one counts.
    await grant(owner, member, max_upload_mb=1)
    assert (await upload_raw(member, "big2.bin", big)).status_code == 201
    other = await create_user(owner)
    await grant(owner, other, max_upload_mb=1)
    small = b"y" * (MIB // 2)
    assert (await upload_raw(other, "small.bin", small)).status_code == 201
    problem(await upload_raw(other, "big.bin", big), 413, "file_too_large")


def _without(server: Server, user: Api, permission: Permission) -> Principal:
    """The principal of `user` without `permission`: no system role lacks upload_files or
    start_calls, and custom roles only add, so these refusals are checked at the service."""
    held = SYSTEM_ROLES["member"] - {permission}
    return Principal(uuid.UUID(user.user_id), uuid.uuid4(), "member", utcnow(), permissions=held)


async def test_upload_files_and_start_calls_are_required(server: Server) -> None:
    owner = await setup_admin(server)
    member = await create_user(owner)
    rt = server.app.state.runtime
    async with read_scope(rt.db) as session:
        uploader = _without(server, member, Permission.UPLOAD_FILES)
        with pytest.raises(Forbidden) as refused:
            await files.upload_limit(session, rt.settings, uploader)
        assert refused.value.code == "permission_required"
        caller = _without(server, member, Permission.START_CALLS)
        with pytest.raises(Forbidden) as refused:
            await calls.access_callee(session, caller.user_id, uuid.uuid4(), caller.permissions)
        assert refused.value.code == "permission_required"
