from __future__ import annotations

import base64

from tests.helpers import Server, create_user, problem, setup_admin

PNG_1PX = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4"
        "890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
    )
).decode()


async def test_branding_is_public_and_set_by_admins(server: Server) -> None:
    anon = server.client()
    assert (await anon.get("/branding")).json()["organization_name"] == "Parley"
    admin = await setup_admin(server)
    alice = await create_user(admin)
    logo = f"data:image/png;base64,{PNG_1PX}"
    problem(
        await alice.put("/branding", json={"primary_color": "#ff0000"}), 403, "permission_required"
    )
    r = await admin.put("/branding", json={"primary_color": "#c8102e", "logo_url": logo})
    assert r.json() == {
        "organization_name": "测试公司",
        "primary_color": "#C8102E",
        "logo_url": logo,
    }
    assert (await anon.get("/branding")).json()["primary_color"] == "#C8102E"
    r = await admin.put("/branding", json={"organization_name": "星辰科技", "logo_url": None})
    assert r.json()["organization_name"] == "星辰科技" and r.json()["logo_url"] is None
    assert r.json()["primary_color"] == "#C8102E"


async def test_branding_rejects_bad_colours_and_logos(server: Server) -> None:
    admin = await setup_admin(server)
    problem(await admin.put("/branding", json={"primary_color": "red"}), 422, "invalid_request")
    svg = base64.b64encode(b"<svg onload='alert(1)'/>").decode()
    for bad in (
        f"data:image/svg+xml;base64,{svg}",
        f"data:image/png;base64,{svg}",  # not really a PNG
        "javascript:alert(1)",
        "data:image/png;base64,@@@",
    ):
        problem(await admin.put("/branding", json={"logo_url": bad}), 422, "invalid_logo")
    problem(await admin.put("/branding", json={"organization_name": ""}), 422, "invalid_field")
    problem(await admin.put("/branding", json={"theme": "dark"}), 422, "invalid_request")
