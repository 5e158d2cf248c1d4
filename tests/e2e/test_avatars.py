"""Profile pictures in a real browser: Alice (English, desktop) picks a photo in Settings,
crops it and saves; Bob sees it beside her chat in his list and beside her messages.
Then Bob (简体中文, a 390 px phone) does the same and Alice, on a phone too, sees his.

Same setup as test_chat.py (a real server serving web/dist, Debian's Chromium)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.helpers import PASSWORD, add_colleague, set_up
from tests.e2e.test_chat import (  # noqa: F401  (fixtures)
    DESKTOP,
    PAGE_ERRORS,
    PHONE,
    base_url,
    browser,
    launched,
    login,
    new_page,
    shot,
)


@pytest.fixture(scope="module")
def chat(base_url: str) -> Iterator[str]:  # noqa: F811
    """Alice (admin) and Bob with a direct chat in which each has said something."""
    alice = set_up(base_url, "头像测试")
    bob = add_colleague(alice, "bob", "李波")
    direct = {"type": "direct", "user_id": bob.me["id"]}
    cid = alice.post("/conversations", direct)["conversation"]["id"]
    alice.http.post(
        f"/conversations/{cid}/messages", json={"client_msg_id": "a1", "text": "Hi Bob"}
    )
    bob.http.post(f"/conversations/{cid}/messages", json={"client_msg_id": "b1", "text": "你好"})
    yield cid
    alice.http.close()
    bob.http.close()


def _photo(path: Path, color: tuple[int, int, int]) -> Path:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (900, 600), (240, 240, 240))
    ImageDraw.Draw(img).ellipse([300, 150, 600, 450], fill=color)
    img.save(path, "PNG")
    return path


def _set_picture(page, photo: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto("/settings")
    section = page.get_by_test_id("avatar-section")
    section.get_by_test_id("avatar-input").set_input_files(str(photo))
    crop = page.get_by_test_id("avatar-crop")
    expect(crop.locator("img")).to_be_visible()
    box = crop.bounding_box()
    assert box is not None
    # Drag the photo a little, as a person lines up their face.
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 30, box["y"] + box["height"] / 2 + 10)
    page.mouse.up()
    shot(page, f"{name}-crop")
    page.get_by_test_id("avatar-crop-save").click()
    expect(crop).to_be_hidden()
    expect(section.get_by_test_id("avatar-img")).to_have_js_property("naturalWidth", 64)
    shot(page, f"{name}-settings")


def _sees_picture(page, peer: str, message: str, name: str) -> None:  # type: ignore[no-untyped-def]
    """The peer's picture loads beside the chat in the list and beside their message."""
    from playwright.sync_api import expect

    item = page.locator("[data-test=conversation-item]", has_text=peer)
    expect(item.get_by_test_id("avatar-img")).to_have_js_property("naturalWidth", 64)
    shot(page, f"{name}-list")
    item.click()
    bubble = page.locator("[data-test=message]", has_text=message)
    expect(bubble.get_by_test_id("avatar-img")).to_have_js_property("naturalWidth", 64)
    shot(page, f"{name}-messages")


def test_picture_set_in_settings_shows_in_list_and_messages(
    browser,  # noqa: F811
    base_url: str,  # noqa: F811
    chat: str,
    tmp_path: Path,
) -> None:  # type: ignore[no-untyped-def]
    ctx_a, alice = new_page(browser, base_url, "en-US", DESKTOP, timeout_ms=15_000)
    login(alice, "alice", PASSWORD)
    alice.goto("/settings")
    alice.get_by_text("Profile picture", exact=True).wait_for()
    _set_picture(alice, _photo(tmp_path / "alice.png", (200, 40, 40)), "avatar-en-desktop")

    ctx_b, bob = new_page(browser, base_url, "zh-CN", PHONE, timeout_ms=15_000)
    login(bob, "bob", PASSWORD)
    _sees_picture(bob, "Alice Wang", "Hi Bob", "avatar-zh-phone-bob")
    bob.goto("/settings")
    bob.get_by_text("头像", exact=True).wait_for()
    _set_picture(bob, _photo(tmp_path / "bob.png", (40, 120, 220)), "avatar-zh-phone")

    ctx_a.close()
    ctx_a, alice = new_page(browser, base_url, "en-US", PHONE, timeout_ms=15_000)
    login(alice, "alice", PASSWORD)
    _sees_picture(alice, "李波", "你好", "avatar-en-phone-alice")
    ctx_a.close()
    ctx_b.close()
    assert PAGE_ERRORS == []
