"""Runtime organisation settings and the dashboard."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.helpers import PASSWORD, Server, create_group, create_user, problem, setup_admin


async def test_settings_override_the_environment_until_reset(server: Server) -> None:
    admin = await setup_admin(server)
    anyone = server.client()
    signup = {"username": "newbie", "password": PASSWORD, "display_name": "New"}
    current = (await admin.get("/admin/settings")).json()
    assert current["self_registration"] is False and current["self_registration_default"] is False
    problem(await anyone.post("/auth/register", json=signup), 403, "registration_disabled")

    r = await admin.patch("/admin/settings", json={"self_registration": True, "max_upload_mb": 1})
    assert r.status_code == 200 and r.json()["self_registration"] is True, r.text
    assert (await anyone.post("/auth/register", json=signup)).status_code == 201
    assert (await admin.get("/limits")).json()["max_upload_bytes"] == 1024 * 1024
    big = {"file": ("big.bin", b"\0" * (1024 * 1024 + 4096), "application/octet-stream")}
    problem(await admin.post("/files", files=big), 413, "file_too_large")

    r = await admin.patch(
        "/admin/settings", json={"self_registration": None, "max_upload_mb": None}
    )
    assert r.json()["self_registration"] is False
    assert r.json()["max_upload_mb"] == r.json()["max_upload_mb_default"]
    other = {**signup, "username": "second"}
    problem(await anyone.post("/auth/register", json=other), 403, "registration_disabled")
    problem(await admin.patch("/admin/settings", json={"max_upload_mb": 0}), 422, "invalid_request")


async def test_dashboard_counts(server: Server) -> None:
    admin = await setup_admin(server)
    alice, bob = await create_user(admin, "alice"), await create_user(admin, "bob")
    r = await admin.post(
        "/users",
        json={"username": "gus", "password": PASSWORD, "display_name": "Gus", "role": "guest"},
    )
    assert r.status_code == 201
    await admin.post(f"/users/{bob.user_id}/disable")
    group = await create_group(alice, admin)
    for text in ("一", "二", "三"):
        await alice.send(group, text)
    upload = {"file": ("a.txt", b"hello world", "text/plain")}
    assert (await alice.post("/files", files=upload)).status_code == 201
    ws = await alice.ws()
    try:
        board = (await admin.get("/admin/dashboard")).json()
    finally:
        await ws.close()
    assert board["users"] == {"active": 2, "disabled": 1, "guests": 1}
    assert board["online_now"] == 1
    assert board["messages_today"] == 3
    days = board["messages_per_day"]
    assert len(days) == 30 and days[-1] == {
        "day": datetime.now(UTC).date().isoformat(),
        "messages": 3,
    }
    assert sum(d["messages"] for d in days) == 3
    assert board["storage_bytes"] >= len(b"hello world") and board["file_count"] == 1
    assert board["health"] == {"database": True, "broker": True}
