"""Invitation links: made by those who manage users, opened by someone outside the
organisation, who chooses an account, lands signed in as a guest and in the groups."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import update

from parley.core.clock import utcnow
from parley.db.session import write_scope
from parley.guests.models import Invitation
from tests.guests.invites import accept, guest_from, invite
from tests.helpers import Server, create_group, create_user, problem, setup_admin


async def test_a_guest_accepts_a_link_and_lands_in_its_group(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    group = await create_group(admin, alice, name="供应商对接")
    link = await invite(admin, group_ids=[group], note="Acme")
    assert link["url"] == f"/invite/{link['token']}" and link["state"] == "active"

    preview = (await server.client().get(f"/invite/{link['token']}")).json()
    assert preview["organization"]["organization_name"] == "测试公司"
    assert preview["groups"] == [{"id": group, "name": "供应商对接"}]

    guest = await guest_from(admin, link["token"], "vendor")
    me = (await guest.get("/users/me")).json()
    assert me["role"] == "guest" and me["external"] is True
    assert "view_directory" not in me["permissions"]
    listed = (await guest.get("/conversations")).json()["items"]
    assert [c["conversation"]["id"] for c in listed] == [group]
    assert listed[0]["external"] is True
    # Members see the group marked external now, and the guest badged.
    mine = (await alice.get(f"/conversations/{group}")).json()
    assert mine["external"] is True
    assert (await alice.get(f"/users/{guest.user_id}")).json()["external"] is True
    assert (await alice.get(f"/users/{alice.user_id}")).json()["external"] is False
    used = (await admin.get("/invitations")).json()["items"][0]
    assert used["uses"] == 1 and used["group_ids"] == [group]


async def test_a_group_without_guests_is_not_external(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    group = await create_group(admin, alice)
    assert (await alice.get(f"/conversations/{group}")).json()["external"] is False


async def test_a_link_with_a_use_count_is_used_up(server: Server) -> None:
    admin = await setup_admin(server)
    link = await invite(admin, max_uses=1)
    await guest_from(admin, link["token"], "first")
    problem(await accept(admin, link["token"], "second"), 410, "invitation_used_up")
    problem(await server.client().get(f"/invite/{link['token']}"), 410, "invitation_used_up")
    assert (await admin.get("/invitations")).json()["items"][0]["state"] == "used_up"


async def test_a_taken_username_costs_no_use(server: Server) -> None:
    admin = await setup_admin(server)
    await create_user(admin, "taken")
    link = await invite(admin, max_uses=1)
    problem(await accept(admin, link["token"], "taken"), 409, "user_exists")
    await guest_from(admin, link["token"], "fresh")


async def test_a_revoked_link_stops_working(server: Server) -> None:
    admin = await setup_admin(server)
    link = await invite(admin)
    r = await admin.post(f"/invitations/{link['id']}/revoke")
    assert r.status_code == 200 and r.json()["state"] == "revoked"
    problem(await accept(admin, link["token"], "late"), 410, "invitation_revoked")
    problem(await server.client().get(f"/invite/{link['token']}"), 410, "invitation_revoked")


async def test_an_expired_link_stops_working(server: Server) -> None:
    admin = await setup_admin(server)
    link = await invite(admin)
    async with write_scope(server.app.state.runtime.db, lambda *_: None) as session:
        await session.execute(update(Invitation).values(expires_at=utcnow() - timedelta(seconds=1)))
    problem(await accept(admin, link["token"], "late"), 410, "invitation_expired")
    problem(await server.client().get(f"/invite/{link['token']}"), 410, "invitation_expired")


async def test_unknown_and_malformed_links(server: Server) -> None:
    admin = await setup_admin(server)
    problem(await server.client().get("/invite/plt_nothing"), 404, "invitation_not_found")
    problem(await accept(admin, "plt_nothing", "someone"), 404, "invitation_not_found")
    r = await server.client().post("/invite/x", json={"username": "a"})
    assert r.status_code == 422


async def test_only_those_who_manage_users_handle_links(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    link = await invite(admin)
    body = {"expires_at": (utcnow() + timedelta(days=1)).isoformat()}
    problem(await alice.post("/invitations", json=body), 403, "permission_required")
    problem(await alice.get("/invitations"), 403, "permission_required")
    problem(await alice.post(f"/invitations/{link['id']}/revoke"), 403, "permission_required")
    problem(await server.client().get("/invitations"), 401, "unauthorized")
    assert "token" not in (await admin.get("/invitations")).json()["items"][0]


async def test_bad_invitations_are_refused(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    theirs = await create_group(alice, admin)  # the admin is only a member there
    past = (utcnow() - timedelta(minutes=1)).isoformat()
    far = (utcnow() + timedelta(days=400)).isoformat()
    for when in (past, far):
        r = await admin.post("/invitations", json={"expires_at": when})
        problem(r, 422, "invalid_expiry")
    soon = (utcnow() + timedelta(days=1)).isoformat()
    r = await admin.post("/invitations", json={"expires_at": soon, "group_ids": [theirs]})
    problem(r, 403, "admin_required")
    r = await admin.post("/invitations", json={"expires_at": soon, "group_ids": [admin.user_id]})
    problem(r, 404, "conversation_not_found")
    problem(await admin.post(f"/invitations/{admin.user_id}/revoke"), 404, "invitation_not_found")


async def test_a_link_can_give_its_accounts_an_expiry(server: Server) -> None:
    admin = await setup_admin(server)
    until = utcnow() + timedelta(days=30)
    link = await invite(admin, account_expires_at=until.isoformat())
    guest = await guest_from(admin, link["token"], "temp")
    expires = (await guest.get("/users/me")).json()["expires_at"]
    assert expires.startswith(until.isoformat()[:19])


async def test_parallel_acceptances_never_exceed_the_use_count(server: Server) -> None:
    admin = await setup_admin(server)
    link = await invite(admin, max_uses=2)
    answers = await asyncio.gather(*(accept(admin, link["token"], f"rush{i}") for i in range(6)))
    codes = sorted(r.status_code for r in answers)
    assert codes == [201, 201, 410, 410, 410, 410], [r.text for r in answers]
    assert (await admin.get("/invitations")).json()["items"][0]["uses"] == 2


async def test_a_group_its_creator_left_is_skipped(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    kept = await create_group(admin, alice, name="kept")
    left = await create_group(admin, alice, name="left")
    link = await invite(admin, group_ids=[kept, left])
    assert (
        await admin.post(f"/conversations/{left}/transfer", json={"user_id": alice.user_id})
    ).status_code == 204
    assert (await admin.post(f"/conversations/{left}/leave")).status_code == 204
    guest = await guest_from(admin, link["token"], "vendor")
    listed = (await guest.get("/conversations")).json()["items"]
    assert [c["conversation"]["name"] for c in listed] == ["kept"]
