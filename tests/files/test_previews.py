"""Previews: thumbnails without metadata, PDF pages, highlighted code, Markdown and CSV
as sandboxed HTML, Office documents, and the bad inputs (bombs, damaged PDFs)."""

from __future__ import annotations

import io
import os
import shutil
from typing import Any

import pytest
from PIL import Image

from tests.files import samples
from tests.files.support import ready, upload
from tests.helpers import Server, create_user, problem, setup_admin


@pytest.fixture
def file_settings() -> dict[str, Any]:
    return {"preview_text_bytes": 2048, "max_image_pixels": 10_000_000}


def _image(r: Any) -> Image.Image:
    assert r.status_code == 200, r.text
    return Image.open(io.BytesIO(r.content))


async def test_photo_rotated_and_location_stripped(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    f = await upload(alice, "IMG_0001.jpg", samples.jpeg_with_gps(400, 200, orientation=6))
    assert f["kind"] == "image" and (f["width"], f["height"]) == (200, 400)  # as displayed
    original = _image(await alice.get(f"/files/{f['id']}"))
    exif = original.getexif()
    assert samples.GPS_IFD not in exif and exif.get_ifd(samples.GPS_IFD) == {}
    assert exif[samples.ORIENTATION] == 6  # still shown the right way up
    assert exif.get_ifd(samples.EXIF_IFD)[0x9003] == "2026:11:27 10:00:00"  # the rest kept
    thumb = _image(await ready(alice, f"/files/{f['id']}/thumbnail"))
    assert thumb.format == "WEBP" and thumb.size == (160, 320)  # rotated, longest side 320
    assert not thumb.getexif() and "exif" not in thumb.info
    # The yellow corner was top-left before rotation; rotated 90° it is top-right.
    r, g, b = thumb.convert("RGB").getpixel((thumb.width - 5, 5))
    assert r > 200 and g > 200 and b < 80
    view = _image(await ready(alice, f"/files/{f['id']}/preview"))
    assert view.size == (200, 400)


async def test_decompression_bomb_is_never_decoded(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    f = await upload(alice, "huge.png", samples.png_bomb())
    assert f["kind"] == "file" and f["preview"] == "none" and f["thumbnail_url"] is None
    assert f["preview_note"]["zh-CN"]
    problem(await alice.get(f"/files/{f['id']}/thumbnail"), 415, "preview_unavailable")
    problem(await alice.get(f"/files/{f['id']}/preview"), 415, "preview_unavailable")
    # Just over the configured limit (10 MP) is refused the same way.
    big = await upload(alice, "big.png", samples.png(4000, 3000))
    assert big["kind"] == "file" and big["preview"] == "none"


async def test_pdf_pages(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    f = await upload(alice, "slides.pdf", samples.pdf(pages=2))
    assert f["mime"] == "application/pdf" and f["preview"] == "pages"
    first = await ready(alice, f"/files/{f['id']}/preview")
    assert first.headers["x-preview-pages"] == "2"
    assert _image(first).convert("RGB").getpixel((50, 50))[0] > 200  # page 1 is red
    second = _image(await alice.get(f"/files/{f['id']}/preview", params={"page": 2}))
    assert second.convert("RGB").getpixel((50, 50))[1] > 120  # page 2 is green
    problem(await alice.get(f"/files/{f['id']}/preview?page=3"), 404, "page_not_found")
    thumb = _image(await ready(alice, f"/files/{f['id']}/thumbnail"))
    assert max(thumb.size) == 320


async def test_malformed_pdf_fails_cleanly(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    f = await upload(alice, "broken.pdf", samples.MALFORMED_PDF)
    assert f["mime"] == "application/pdf"
    r = await ready(alice, f"/files/{f['id']}/preview")
    body = problem(r, 415, "preview_failed")
    assert body["notes"]["en"] and body["notes"]["zh-CN"]
    problem(await ready(alice, f"/files/{f['id']}/thumbnail"), 415, "preview_failed")
    # Still downloadable as it is.
    assert (await alice.get(f"/files/{f['id']}")).content == samples.MALFORMED_PDF


async def test_code_markdown_and_csv_views(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    code = b'def greet(name):\n    return "<script>alert(1)</script>" + name\n'
    f = await upload(alice, "greet.py", code)
    r = await ready(alice, f"/files/{f['id']}/preview")
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert "sandbox" in r.headers["content-security-policy"]
    assert "script-src" not in r.headers["content-security-policy"]
    assert b'<span class="k">def</span>' in r.content  # highlighted as Python
    assert b"<script>" not in r.content
    md = "# 周报\n\n- **完成** 文件预览\n\n<script>alert(1)</script>\n".encode()
    m = await upload(alice, "周报.md", md)
    page = (await ready(alice, f"/files/{m['id']}/preview")).text
    assert "<h1>周报</h1>" in page and "<strong>完成</strong>" in page
    assert "<script>" not in page
    csv_data = '姓名,部门,备注\n张三,研发,<b>x</b>\n李四,市场,"a,b"\n'.encode()
    c = await upload(alice, "名单.csv", csv_data)
    table = (await ready(alice, f"/files/{c['id']}/preview")).text
    assert "<th>姓名</th>" in table and "<td>a,b</td>" in table
    assert "&lt;b&gt;x&lt;/b&gt;" in table
    # The same bytes under another name get the view of that name.
    again = await upload(alice, "greet.txt", code)
    plain = (await ready(alice, f"/files/{again['id']}/preview")).content
    assert b'<span class="k">def</span>' not in plain


async def test_text_preview_is_size_capped(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    f = await upload(alice, "log.txt", ("第一行日志 line\n" * 500).encode())
    r = await ready(alice, f"/files/{f['id']}/preview")
    assert r.headers["x-preview-truncated"] == "true"
    assert len(r.content) < 8000 and "预览已截断" in r.text


async def test_previews_are_made_off_the_request_path(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    server.app.state.files.renditions.settings.preview_wait_seconds = 0
    f = await upload(alice, "wait.pdf", samples.pdf(pages=3))
    r = await alice.get(f"/files/{f['id']}/preview")
    assert r.status_code in (200, 202)
    if r.status_code == 202:
        assert r.json() == {"status": "pending"} and r.headers["retry-after"] == "1"
    assert (await ready(alice, f"/files/{f['id']}/preview")).headers["x-preview-pages"] == "3"


async def test_office_without_libreoffice_is_download_only(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    server.app.state.runtime.settings.office_converter = ""
    f = await upload(alice, "季度报告.docx", samples.docx())
    assert f["mime"].endswith("wordprocessingml.document") and f["preview"] == "none"
    assert "LibreOffice" in f["preview_note"]["en"] and "下载" in f["preview_note"]["zh-CN"]
    body = problem(await alice.get(f"/files/{f['id']}/preview"), 415, "preview_unavailable")
    assert "LibreOffice" in body["notes"]["zh-CN"]


def _require_soffice() -> None:
    if shutil.which("soffice"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("soffice (LibreOffice) is not installed (CI=true: must not skip)")
    pytest.skip("soffice (LibreOffice) is not installed")


async def test_office_with_libreoffice_is_previewed(server: Server) -> None:
    _require_soffice()
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    f = await upload(alice, "季度报告.docx", samples.docx())
    assert f["preview"] == "pages"
    r = await ready(alice, f"/files/{f['id']}/preview", timeout=120)
    assert r.headers["x-preview-pages"] == "1"
    assert _image(r).size[0] > 500
