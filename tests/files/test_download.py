"""Downloads: Range requests for seeking and resuming, caching validators, names in
Content-Disposition, and the headers that keep uploaded markup from running."""

from __future__ import annotations

from urllib.parse import quote

from tests.files import samples
from tests.files.support import send_files, upload
from tests.helpers import Server, create_group, create_user, problem, setup_admin

DATA = bytes(range(256)) * 40  # 10240 bytes


async def test_range_requests(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    f = await upload(alice, "data.bin", DATA)
    path = f"/files/{f['id']}"
    whole = await alice.get(path)
    assert whole.status_code == 200 and whole.content == DATA
    assert whole.headers["accept-ranges"] == "bytes"
    assert whole.headers["content-length"] == str(len(DATA))
    for header, start, end in (
        ("bytes=0-99", 0, 99),
        ("bytes=5000-", 5000, len(DATA) - 1),
        ("bytes=-10", len(DATA) - 10, len(DATA) - 1),
        ("bytes=10000-999999", 10000, len(DATA) - 1),
        ("bytes=-" + "9" * 5000, 0, len(DATA) - 1),  # more digits than Python converts
    ):
        r = await alice.get(path, headers={"Range": header})
        assert r.status_code == 206, (header, r.text)
        assert r.content == DATA[start : end + 1]
        assert r.headers["content-range"] == f"bytes {start}-{end}/{len(DATA)}"
    for header in (
        "bytes=10240-",
        "bytes=20000-20010",
        "bytes=-0",
        "bytes=9-3",
        "bytes=" + "9" * 5000 + "-",
    ):
        r = await alice.get(path, headers={"Range": header})
        problem(r, 416, "range_not_satisfiable")
        assert r.headers["content-range"] == f"bytes */{len(DATA)}"
    # Several ranges, or a malformed header: the whole file, as RFC 9110 allows.
    for header in ("bytes=0-1,5-6", "lines=1-2", "bytes=abc"):
        r = await alice.get(path, headers={"Range": header})
        assert r.status_code == 200 and r.content == DATA
    etag = whole.headers["etag"]
    assert (await alice.get(path, headers={"If-None-Match": etag})).status_code == 304
    r = await alice.get(path, headers={"Range": "bytes=0-9", "If-Range": '"other"'})
    assert r.status_code == 200 and r.content == DATA


async def test_video_seeks(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    cid = await create_group(alice, bob)
    clip = samples.video()
    f = await upload(alice, "clip.webm", clip)
    assert f["kind"] == "video" and (f["width"], f["height"]) == (64, 48)
    assert 1500 <= f["duration_ms"] <= 2500
    await send_files(alice, cid, f["id"])
    r = await bob.get(f"/files/{f['id']}", headers={"Range": "bytes=100-"})
    assert r.status_code == 206 and r.content == clip[100:]
    assert r.headers["content-type"] == "video/webm"
    assert r.headers["content-disposition"].startswith("inline;")


async def test_chinese_names_in_content_disposition(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    name = "2026年第四季度 销售报告.pdf"
    f = await upload(alice, name, samples.pdf())
    r = await alice.get(f"/files/{f['id']}")
    disposition = r.headers["content-disposition"]
    assert disposition.startswith("attachment;")  # a PDF could run script in some viewers
    assert f"filename*=UTF-8''{quote(name, safe='')}" in disposition
    assert 'filename="2026_____ ____.pdf"' in disposition  # an ASCII fallback
    forced = await alice.get(f"/files/{f['id']}", params={"download": "true"})
    assert forced.headers["content-disposition"].startswith("attachment;")


async def test_a_png_that_is_really_html_cannot_run_script(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    page = b"<html><body><script>fetch('/api/v1/users/me')</script></body></html>"
    f = await upload(alice, "cute-cat.png", page, "image/png")
    assert f["mime"] == "text/html" and f["kind"] == "file"
    assert f["thumbnail_url"] is None
    r = await alice.get(f"/files/{f['id']}")
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert r.headers["content-disposition"].startswith("attachment;")
    problem(await alice.get(f"/files/{f['id']}/thumbnail"), 415, "preview_unavailable")
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    s = await upload(alice, "logo.svg", svg, "image/svg+xml")
    assert s["mime"] == "image/svg+xml" and s["kind"] == "file"
    r = await alice.get(f"/files/{s['id']}")
    assert r.headers["content-disposition"].startswith("attachment;")
    assert "sandbox" in r.headers["content-security-policy"]
    # Its preview shows the source as text, escaped, in a sandboxed document.
    preview = await alice.get(f"/files/{s['id']}/preview")
    assert preview.status_code == 200, preview.text
    assert b"<svg" not in preview.content and b"&lt;svg" in preview.content
    assert "sandbox" in preview.headers["content-security-policy"]
