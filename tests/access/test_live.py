"""A role change reaches the user's open sockets at once: the next frame that needs the
permission is refused (or allowed) without reconnecting, on every node."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import node_settings, run_server
from tests.helpers import (
    Api,
    Server,
    Ws,
    create_group,
    create_user,
    grant,
    login,
    set_roles,
    setup_admin,
)


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"all_mention_role": "member"}  # only the permission decides who may @all


async def _at_all(ws: Ws, cid: str, ref: str) -> dict[str, Any]:
    """Send `@all` over the socket; the ack or the error."""
    await ws.send(
        {
            "type": "message.send",
            "ref": ref,
            "conversation_id": cid,
            "client_msg_id": ref,
            "text": "@all 集合",
        }
    )
    while True:
        frame = await ws.recv()
        if frame.get("ref") == ref and frame["type"] in ("message.ack", "error"):
            return frame


async def _changed(ws: Ws, present: bool) -> None:
    frame = await ws.expect("permissions.changed")
    assert ("mention_all" in frame["permissions"]) is present, frame


async def test_system_role_and_custom_role_changes_apply_to_open_sockets(server: Server) -> None:
    owner = await setup_admin(server)
    alice = await create_user(owner)
    cid = await create_group(owner, alice)
    phone, laptop = await alice.ws(), await alice.ws()
    assert (await _at_all(phone, cid, "m1"))["type"] == "message.ack"

    await set_roles(owner, alice, system_role="guest")  # guests may not @all
    for ws in (phone, laptop):
        await _changed(ws, False)
    refused = await _at_all(phone, cid, "m2")
    assert (refused["type"], refused["code"]) == ("error", "permission_required")

    role = await grant(owner, alice, "mention_all")
    await _changed(laptop, True)
    assert (await _at_all(laptop, cid, "m3"))["type"] == "message.ack"

    # Editing the role changes every holder's sockets too, then deleting it.
    r = await owner.patch(f"/roles/{role['id']}", json={"permissions": []})
    assert r.status_code == 200, r.text
    await _changed(laptop, False)
    assert (await _at_all(laptop, cid, "m4"))["code"] == "permission_required"
    await owner.patch(f"/roles/{role['id']}", json={"permissions": ["mention_all"]})
    await _changed(laptop, True)
    assert (await owner.delete(f"/roles/{role['id']}")).status_code == 204
    await _changed(laptop, False)
    assert (await _at_all(laptop, cid, "m5"))["code"] == "permission_required"
    # The next request agrees with the socket.
    assert "mention_all" not in (await alice.get("/users/me")).json()["permissions"]
    for ws in (phone, laptop):
        await ws.close()


@pytest.mark.parametrize("backend", ["postgres"])  # two nodes share one PostgreSQL
async def test_a_role_change_on_one_node_reaches_sockets_on_another(
    database_url: str, tmp_path: Path
) -> None:
    settings = await node_settings(database_url, tmp_path, all_mention_role="member")
    async with run_server(settings("n1")) as n1, run_server(settings("n2")) as n2:
        owner: Api = await setup_admin(n1)
        await create_user(owner, "alice")
        alice = await login(n2, "alice")
        cid = await create_group(owner, alice)
        ws = await alice.ws()
        assert (await _at_all(ws, cid, "x1"))["type"] == "message.ack"
        await set_roles(owner, alice, system_role="guest")
        await _changed(ws, False)
        assert (await _at_all(ws, cid, "x2"))["code"] == "permission_required"
        await ws.close()
