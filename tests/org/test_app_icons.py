"""The installable app: manifest and home-screen icons follow the organisation's branding."""

from __future__ import annotations

import base64
import io

from PIL import Image

from tests.helpers import Server, problem, setup_admin


def _png(color: tuple[int, int, int], size: int = 64) -> str:
    out = io.BytesIO()
    Image.new("RGB", (size, size), color).save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


async def _icon(anon, src: str) -> Image.Image:  # type: ignore[no-untyped-def]
    r = await anon.get(f"/branding/{src}")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "image/png"
    return Image.open(io.BytesIO(r.content)).convert("RGBA")


async def test_manifest_and_icons_follow_the_branding(server: Server) -> None:
    anon = server.client()
    admin = await setup_admin(server)
    r = await anon.get("/branding/manifest.webmanifest")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/manifest+json"
    assert r.headers["cache-control"] == "no-cache"
    before = r.json()
    assert before["name"] == "测试公司" and before["display"] == "standalone"
    assert before["start_url"] == "/" and before["theme_color"] == "#2E62E0"
    sizes = {(i["sizes"], i["purpose"]) for i in before["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}

    for icon in before["icons"]:
        img = await _icon(anon, icon["src"])
        side = int(icon["sizes"].split("x")[0])
        assert img.size == (side, side)
        corner = img.getpixel((0, 0))
        if icon["purpose"] == "maskable":
            assert corner == (0x2E, 0x62, 0xE0, 255)  # full bleed: the launcher crops it
        else:
            assert corner[3] == 0  # rounded corners
        assert img.getpixel((side // 2, side // 2))[:3] == (255, 255, 255)  # the bubble

    await admin.put(
        "/branding",
        json={
            "organization_name": "星辰科技",
            "primary_color": "#c8102e",
            "logo_url": _png((0, 160, 0)),
        },
    )
    after = (await anon.get("/branding/manifest.webmanifest")).json()
    assert after["name"] == "星辰科技" and after["theme_color"] == "#C8102E"
    # New icon URLs, so installed apps and caches fetch the new ones.
    assert {i["src"] for i in after["icons"]}.isdisjoint({i["src"] for i in before["icons"]})
    maskable = next(i for i in after["icons"] if i["purpose"] == "maskable")
    img = await _icon(anon, maskable["src"])
    assert img.getpixel((0, 0))[:3] == (0xC8, 0x10, 0x2E)
    assert img.getpixel((256, 256))[:3] == (0, 160, 0)  # the logo, centred
    # ... inside the safe zone (a centred circle of 80%): nothing of it at 10% from an edge.
    assert img.getpixel((256, 60))[:3] == (0xC8, 0x10, 0x2E)


async def test_unknown_icons_are_not_found(server: Server) -> None:
    anon = server.client()
    for name in ("1024", "..%2Fsecret", "maskable-192"):
        problem(await anon.get(f"/branding/icons/{name}.png"), 404, "not_found")
