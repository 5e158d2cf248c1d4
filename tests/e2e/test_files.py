"""Files in a real browser: Alice uploads an image and a PDF and records a voice message;
Bob sees the thumbnail, opens the lightbox and the PDF preview, plays the voice message,
and finds them in the conversation's files view.

Same setup as test_chat.py (a real server serving web/dist, Debian's Chromium through
Playwright), with Chromium's fake microphone so MediaRecorder records a test tone. The
files are made here with Pillow. Waits are on visible state, never on sleeps."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.helpers import PASSWORD, add_colleague, set_up
from tests.e2e.test_chat import (  # noqa: F401  (fixtures)
    PAGE_ERRORS,
    base_url,
    launched,
    login,
    new_page,
    shot,
)

GROUP = "Files team"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    # A fake microphone (a beeping test tone) and no permission prompt.
    with launched(
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        "--autoplay-policy=no-user-gesture-required",
    ) as b:
        yield b


@pytest.fixture(scope="module")
def org(base_url: str) -> dict[str, str]:  # noqa: F811
    """Alice (admin), Bob, and a group of the two, made over the HTTP API."""
    alice = set_up(base_url)
    bob_id = add_colleague(alice, "bob", "Bob Li").me["id"]
    r = alice.http.post(
        "/conversations", json={"type": "group", "name": GROUP, "member_ids": [bob_id]}
    )
    assert r.status_code == 201, r.text
    return {"conversation_id": r.json()["conversation"]["id"]}


def make_png(path: Path) -> None:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (1200, 800))
    draw = ImageDraw.Draw(img)
    for y in range(800):
        draw.line([(0, y), (1200, y)], fill=(30 + y // 8, 90, 200 - y // 6))
    draw.ellipse([420, 220, 780, 580], fill=(255, 200, 40))
    draw.text((40, 40), "Parley e2e photo", fill=(255, 255, 255))
    img.save(path, "PNG")


def make_pdf(path: Path) -> None:
    """A two-page PDF (Pillow writes each image as a page)."""
    from PIL import Image, ImageDraw

    pages = []
    for n in (1, 2):
        page = Image.new("RGB", (595, 842), "white")
        draw = ImageDraw.Draw(page)
        draw.rectangle([60, 60, 535, 160], outline="black", width=3)
        draw.text((80, 100), f"Quarterly report - page {n}", fill="black")
        for i in range(12):
            draw.line([(80, 220 + i * 40), (515, 220 + i * 40)], fill=(120, 120, 120), width=2)
        pages.append(page)
    buf = io.BytesIO()
    pages[0].save(buf, "PDF", save_all=True, append_images=pages[1:], resolution=72)
    path.write_bytes(buf.getvalue())


def open_chat(page, name: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.locator("[data-test=conversation-item]", has_text=name).click()
    expect(page.get_by_test_id("pane-title")).to_have_text(name)


def test_share_preview_and_play(browser, base_url: str, org, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    photo, report = tmp_path / "photo.png", tmp_path / "Q3 报告.pdf"
    make_png(photo)
    make_pdf(report)

    ctx_a, a = new_page(browser, base_url)
    ctx_a.grant_permissions(["microphone"])
    login(a, "alice", PASSWORD)
    open_chat(a, GROUP)

    # ---- A cancels an upload that is still on its way (held back by the test).
    held: list[object] = []

    def hold(route) -> None:  # type: ignore[no-untyped-def]
        if b"hold-me.bin" in (route.request.post_data_buffer or b""):
            held.append(route)  # never answered: the upload stays in flight
        else:
            route.continue_()

    a.route("**/api/v1/files", hold)
    a.get_by_test_id("attach-input").set_input_files(
        files=[
            {"name": "hold-me.bin", "mimeType": "application/octet-stream", "buffer": b"x" * 4096}
        ]
    )
    stuck = a.locator("[data-test=upload-item][data-name='hold-me.bin']")
    expect(stuck).to_have_attribute("data-status", "uploading")
    expect(stuck.get_by_test_id("upload-progress")).to_be_visible()
    shot(a, "files-00-uploading")
    stuck.get_by_test_id("upload-cancel").click()
    expect(stuck).to_have_count(0)
    a.unroute("**/api/v1/files")

    # ---- Files dropped on the conversation or pasted into the composer join the queue.
    a.evaluate(
        """() => {
            const dt = new DataTransfer()
            dt.items.add(new File(['dropped'], 'dropped.txt', { type: 'text/plain' }))
            const list = document.querySelector('[data-test=message-list]')
            list.dispatchEvent(new DragEvent('dragenter', { bubbles: true, dataTransfer: dt }))
            const over = { bubbles: true, cancelable: true, dataTransfer: dt }
            list.dispatchEvent(new DragEvent('dragover', over))
            window.__drop = dt
        }"""
    )
    expect(a.get_by_test_id("drop-overlay")).to_be_visible()
    shot(a, "files-00-drop-overlay")
    a.evaluate(
        """() => document.querySelector('[data-test=message-list]').dispatchEvent(
            new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: window.__drop })
        )"""
    )
    expect(a.get_by_test_id("drop-overlay")).to_have_count(0)
    a.get_by_test_id("composer-input").evaluate(
        """(box) => {
            const dt = new DataTransfer()
            const png = new Uint8Array([137, 80, 78, 71])
            dt.items.add(new File([png], 'image.png', { type: 'image/png' }))
            const init = { bubbles: true, cancelable: true, clipboardData: dt }
            box.dispatchEvent(new ClipboardEvent('paste', init))
        }"""
    )
    dropped = a.locator("[data-test=upload-item][data-name='dropped.txt']")
    pasted = a.locator("[data-test=upload-item][data-name^='pasted-']")
    expect(dropped).to_have_attribute("data-status", "done")
    expect(pasted).to_have_count(1)
    expect(pasted).to_have_attribute("data-status", re.compile("done|failed"))
    dropped.get_by_test_id("upload-cancel").click()
    pasted.get_by_test_id("upload-cancel").click()
    expect(a.get_by_test_id("upload-item")).to_have_count(0)

    # ---- A attaches an image and a PDF, adds a caption, sends.
    a.get_by_test_id("attach-input").set_input_files([str(photo), str(report)])
    items = a.get_by_test_id("upload-item")
    expect(items).to_have_count(2)
    expect(a.locator("[data-test=upload-item][data-status=done]")).to_have_count(2)
    shot(a, "files-01-upload-queue")
    box = a.get_by_test_id("composer-input")
    box.fill("Q3 numbers and the team photo")
    box.press("Enter")
    expect(items).to_have_count(0)
    mine = a.locator("[data-test=message][data-status=sent]", has_text="Q3 numbers")
    expect(mine.get_by_test_id("image-thumb")).to_be_visible()
    expect(mine.get_by_test_id("file-card")).to_contain_text("Q3 报告.pdf")

    # ---- A records a voice message (the fake microphone's tone) and sends it.
    a.get_by_test_id("voice-button").click()
    expect(a.get_by_test_id("voice-recording")).to_be_visible()
    expect(a.get_by_test_id("voice-timer")).to_have_text(re.compile(r"^0:0[2-9]$"))
    shot(a, "files-02-recording")
    a.get_by_test_id("voice-send").click()
    expect(a.get_by_test_id("voice-recording")).to_have_count(0)
    voice_a = a.locator(
        "[data-test=message][data-status=sent]", has=a.get_by_test_id("voice-player")
    )
    expect(voice_a).to_have_count(1)
    expect(voice_a.get_by_test_id("voice-time")).to_have_text(re.compile(r"^0:0[1-9]$"))

    # ---- Hold to talk: recording while the button is held, sent on release.
    a.get_by_test_id("voice-button").hover()
    a.mouse.down()
    expect(a.get_by_test_id("voice-timer")).to_have_text(re.compile(r"^0:0[1-9]$"))
    a.mouse.up()
    expect(voice_a).to_have_count(2)

    # ---- A cancelled recording sends nothing.
    a.get_by_test_id("voice-button").click()
    expect(a.get_by_test_id("voice-timer")).to_have_text(re.compile(r"^0:0[1-9]$"))
    a.get_by_test_id("voice-cancel").click()
    expect(a.get_by_test_id("voice-recording")).to_have_count(0)
    expect(a.get_by_test_id("voice-button")).to_be_visible()
    expect(a.get_by_test_id("upload-item")).to_have_count(0)
    expect(voice_a).to_have_count(2)
    shot(a, "files-03-sent")

    # ---- B sees the thumbnail, opens the lightbox (thumbnail first, then the full image).
    ctx_b, b = new_page(browser, base_url, locale="zh-CN")
    login(b, "bob", PASSWORD)
    open_chat(b, GROUP)
    msg_b = b.locator("[data-test=message]", has_text="Q3 numbers")
    thumb = msg_b.get_by_test_id("image-thumb")
    expect(thumb).to_be_visible()
    assert thumb.evaluate("img => img.naturalWidth") > 0
    thumb.click()
    lightbox = b.get_by_test_id("lightbox")
    expect(lightbox).to_be_visible()
    full = lightbox.get_by_test_id("lightbox-image")
    expect(full).to_have_attribute("data-loaded", "true")
    assert full.evaluate("img => img.naturalWidth") == 1200
    shot(b, "files-04-lightbox")
    b.keyboard.press("Escape")
    expect(lightbox).to_have_count(0)

    # ---- B opens the PDF preview: the server renders its pages as images.
    msg_b.get_by_test_id("file-open").click()
    preview = b.get_by_test_id("file-preview")
    expect(preview).to_be_visible()
    page1 = preview.locator("[data-test=preview-page][data-page='1']")
    expect(page1).to_be_visible()
    assert page1.evaluate("img => img.naturalWidth") > 0
    shot(b, "files-05-pdf-preview")
    # Later pages load as they scroll into view.
    preview.locator("figure").nth(1).scroll_into_view_if_needed()
    expect(preview.locator("[data-test=preview-page][data-page='2']")).to_be_visible()
    b.keyboard.press("Escape")
    expect(preview).to_have_count(0)

    # ---- B plays the voice message: the audio element's clock moves.
    voice_b = b.get_by_test_id("voice-player").first
    expect(voice_b).to_be_visible()
    voice_b.get_by_test_id("voice-play").click()
    expect(voice_b).to_have_attribute("data-playing", "true")
    expect(voice_b.get_by_test_id("voice-time")).to_have_text(re.compile(r"^0:0[1-9]$"))
    assert voice_b.get_by_test_id("voice-audio").evaluate("a => a.currentTime") > 0.5
    shot(b, "files-06-voice-playing")

    # ---- The files view lists what was shared, searchable by name and kind.
    b.get_by_test_id("files-button").click()
    panel = b.get_by_test_id("files-panel")
    expect(panel.get_by_test_id("files-item")).to_have_count(4)
    shot(b, "files-07-files-panel")
    panel.locator("input").fill("报告")
    expect(panel.get_by_test_id("files-item")).to_have_count(1)
    expect(panel.get_by_test_id("files-item")).to_contain_text("Q3 报告.pdf")
    panel.locator("input").fill("")
    panel.get_by_test_id("files-kind-voice").click()
    expect(panel.get_by_test_id("files-item")).to_have_count(2)
    expect(panel.locator("[data-test=files-item][data-kind=voice]")).to_have_count(2)
    panel.get_by_test_id("files-kind-image").click()
    expect(panel.get_by_test_id("files-item")).to_have_count(1)

    ctx_a.close()
    ctx_b.close()
    assert PAGE_ERRORS == []
