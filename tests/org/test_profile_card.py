"""The profile card: contact fields shown to colleagues only as the organisation allows;
administrators and the person themselves always see them."""

from __future__ import annotations

from tests.helpers import Server, create_user, login, problem, setup_admin


async def test_contact_fields_follow_the_organisation_setting(server: Server) -> None:
    admin = await setup_admin(server)
    r = await admin.post(
        "/users",
        json={
            "username": "lisi",
            "password": "a-long-enough-password",
            "display_name": "李四",
            "email": "lisi@example.com",
            "phone": "+86 138 0000 0000",
            "employee_no": "E1024",
            "must_change_password": False,
        },
    )
    assert r.status_code == 201, r.text
    lisi = await login(server, "lisi", "a-long-enough-password")
    bob = await create_user(admin, "bob")
    card = f"/users/{lisi.user_id}/card"

    # By default colleagues see none of them; the admin and Li Si himself see all.
    hidden = (await bob.get(card)).json()
    assert hidden["user"]["display_name"] == "李四"
    assert (hidden["email"], hidden["phone"], hidden["employee_no"]) == (None, None, None)
    for viewer in (admin, lisi):
        shown = (await viewer.get(card)).json()
        assert (shown["email"], shown["phone"], shown["employee_no"]) == (
            "lisi@example.com",
            "+86 138 0000 0000",
            "E1024",
        )

    # Only an admin chooses what colleagues see.
    body = {"fields": ["phone", "employee_no"]}
    problem(await bob.put("/org/profile-fields", json=body), 403, "permission_required")
    r = await admin.put("/org/profile-fields", json=body)
    assert r.status_code == 200 and r.json() == {"fields": ["phone", "employee_no"]}
    assert (await bob.get("/org/profile-fields")).json() == body
    seen = (await bob.get(card)).json()
    assert (seen["email"], seen["phone"], seen["employee_no"]) == (
        None,
        "+86 138 0000 0000",
        "E1024",
    )

    # Li Si edits his own phone number; bad input is refused.
    r = await lisi.patch("/users/me", json={"phone": "010-12345678"})
    assert r.status_code == 200
    assert (await bob.get(card)).json()["phone"] == "010-12345678"
    problem(await lisi.patch("/users/me", json={"phone": "<script>"}), 422, "invalid_request")
    problem(
        await admin.put("/org/profile-fields", json={"fields": ["salary"]}), 422, "invalid_request"
    )
    problem(
        await bob.get("/users/01a23cab-4336-73ac-b9ec-c8d4dff1d9f8/card"), 404, "user_not_found"
    )
