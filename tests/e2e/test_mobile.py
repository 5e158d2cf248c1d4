"""The client on a phone (390 x 844, touch) and a tablet (768 x 1024), and installed as an app.

Same setup as test_chat.py (a real server serving web/dist, Debian's Chromium through
Playwright). Every assertion is a layout fact a person would see: what takes the width,
how big the things to tap are, where back goes; screenshots go to test-artifacts/e2e/."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.e2e.helpers import PASSWORD
from tests.e2e.test_chat import (  # noqa: F401  (fixtures)
    PAGE_ERRORS,
    base_url,
    browser,
    field,
    sent,
    shot,
)
from tests.e2e.test_features import group, org  # noqa: F401  (fixture)

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}
TOUCH_MIN = 44


@pytest.fixture(scope="module")
def team(org) -> Iterator[str]:  # type: ignore[no-untyped-def]  # noqa: F811
    """A group Bob is in, with a long message (wrapping is what broke at tablet widths)."""
    admin, bob = org["admin"], org["bob"]
    cid = group(admin, "Mobile team", bob)
    admin.send(cid, "Morning! The release notes are in the shared folder, please read them today.")
    for i in range(3):
        admin.send(cid, f"update {i}")
    yield cid


def device(browser, base_url: str, size: dict[str, int], touch: bool):  # type: ignore[no-untyped-def]  # noqa: F811
    ctx = browser.new_context(
        base_url=base_url,
        locale="en-US",
        viewport=size,
        is_mobile=touch,
        has_touch=touch,
        device_scale_factor=3 if touch else 2,
    )
    page = ctx.new_page()
    page.set_default_timeout(10_000)
    page.on("pageerror", lambda e: PAGE_ERRORS.append(f"{page.url}: {e}"))
    return ctx, page


def sign_in(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    field(page, "login-name").fill("bob")
    field(page, "login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("conversation-list").wait_for()


def box(locator) -> dict[str, float]:  # type: ignore[no-untyped-def]
    b = locator.bounding_box()
    assert b is not None, f"{locator} is not rendered"
    return b  # type: ignore[no-any-return]


def assert_tappable(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    """Every visible match is at least 44 x 44 px, and there is at least one."""
    seen = 0
    for el in page.locator(selector).all():
        if not el.is_visible():
            continue
        b = box(el)
        assert b["width"] >= TOUCH_MIN and b["height"] >= TOUCH_MIN, (selector, b)
        seen += 1
    assert seen, f"nothing visible matches {selector}"


def open_team(page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.locator("[data-test=conversation-item]", has_text="Mobile team").click()
    expect(page.get_by_test_id("pane-title")).to_have_text("Mobile team")
    expect(page.locator("[data-test=message]", has_text="update 2")).to_be_visible()


def search_release_notes(page):  # type: ignore[no-untyped-def]
    """Search from the open search view; the first result, once shown."""
    from playwright.sync_api import expect

    search = page.locator("input[data-test=search-input], [data-test=search-input] input")
    search.fill("release notes")
    search.press("Enter")
    result = page.get_by_test_id("result").first
    expect(result).to_be_visible()
    return result


def gesture(page, *steps: tuple[str, float, float], rest_ms: int = 0) -> None:  # type: ignore[no-untyped-def]
    """Real touch events, as the screen would send them (Chromium's input pipeline); the
    finger rests `rest_ms` before it lifts (the gesture itself, not a wait for the app)."""
    cdp = page.context.new_cdp_session(page)
    for kind, x, y in steps:
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y}]})
    if rest_ms:
        page.wait_for_timeout(rest_ms)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def long_press(page, locator) -> None:  # type: ignore[no-untyped-def]
    b = box(locator)
    gesture(page, ("touchStart", b["x"] + b["width"] / 2, b["y"] + b["height"] / 2), rest_ms=800)


def edge_swipe(page, y: float) -> None:  # type: ignore[no-untyped-def]
    moves = [("touchMove", x, y + 4) for x in (40, 90, 150, 220)]
    gesture(page, ("touchStart", 4, y), *moves)


def test_phone_one_column(browser, base_url: str, team: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    ctx, page = device(browser, base_url, PHONE, touch=True)
    page.goto("/login")
    page.get_by_test_id("login-submit").wait_for()
    shot(page, "phone-01-login")
    sign_in(page)

    # ---- The list is the whole screen, with the tab bar under it; no desktop rail.
    items = page.get_by_test_id("conversation-list")
    assert box(items)["width"] == PHONE["width"]
    expect(page.locator("nav.rail")).to_be_hidden()
    tabs = page.get_by_test_id("tab-bar")
    expect(tabs).to_be_visible()
    assert box(tabs)["y"] + box(tabs)["height"] == pytest.approx(PHONE["height"], abs=1)
    assert_tappable(page, "[data-test=tab-bar] button")
    assert_tappable(page, "[data-test=conversation-item]")
    assert_tappable(page, "[data-test=new-group]")
    shot(page, "phone-02-list")

    # ---- The tab bar switches views.
    page.get_by_test_id("tab-contacts").click()
    expect(page.locator("[data-test=directory-user]").first).to_be_visible()
    expect(page.get_by_test_id("tab-contacts")).to_have_attribute("aria-current", "page")
    page.locator("[data-test=directory-user][data-username=alice]").click()
    expect(page.get_by_test_id("message-user")).to_be_visible()  # the card takes the screen
    expect(page.locator("[data-test=directory-user]").first).to_be_hidden()
    assert_tappable(page, "[data-test=contact-back]")
    shot(page, "phone-03-contact")
    page.get_by_test_id("contact-back").click()
    expect(page.locator("[data-test=directory-user]").first).to_be_visible()
    page.get_by_test_id("tab-me").click()
    expect(page.get_by_test_id("me-view")).to_contain_text("Bob Li")
    assert_tappable(page, "[data-test=me-view] button")
    shot(page, "phone-04-me")

    # ---- Search (from "me"), full width.
    page.get_by_test_id("me-search").click()
    assert box(search_release_notes(page))["width"] >= PHONE["width"] - 60
    shot(page, "phone-05-search")
    page.get_by_test_id("tab-chats").click()

    # ---- Opening a chat replaces the list; messages and composer take the full width.
    open_team(page)
    expect(items).to_be_hidden()
    expect(tabs).to_be_hidden()  # the composer takes its place
    assert box(page.get_by_test_id("message-list"))["width"] == PHONE["width"]
    composer = page.locator(".composer")
    assert box(composer)["width"] == PHONE["width"]
    long_msg = page.locator("[data-test=message-body]", has_text="release notes")
    assert box(long_msg)["width"] > PHONE["width"] / 2  # words wrap, not letters
    for sel in (
        "[data-test=back]",
        ".pane .head .el-button",
        ".composer .tool",
        "[data-test=send]",
    ):
        assert_tappable(page, sel)
    shot(page, "phone-06-chat")

    # ---- Send.
    box_input = page.get_by_test_id("composer-input")
    box_input.fill("Sent from my phone")
    page.get_by_test_id("send").click()
    expect(sent(page, "Sent from my phone")).to_be_visible()

    # ---- The on-screen keyboard takes half the screen: the composer stays above it.
    page.set_viewport_size({"width": PHONE["width"], "height": 420})
    expect(page.get_by_test_id("composer-input")).to_be_in_viewport()
    assert box(page.get_by_test_id("send"))["y"] + 44 <= 420
    page.set_viewport_size(PHONE)

    # ---- Long-press opens the message menu (the desktop's right-click menu).
    bubble = page.locator("[data-test=message]", has_text="update 1").locator(".bubble")
    long_press(page, bubble)
    menu = page.get_by_test_id("message-menu")
    expect(menu).to_be_visible()
    expect(menu.get_by_test_id("menu-reply")).to_be_visible()
    assert_tappable(page, "[data-test=message-menu] li[role=menuitem]")
    shot(page, "phone-07-long-press-menu")
    menu.get_by_test_id("menu-reply").click()
    expect(page.get_by_test_id("reply-banner")).to_contain_text("update 1")

    # ---- Details are a view of their own; back returns to the chat.
    page.get_by_test_id("toggle-details").click()
    details = page.get_by_test_id("details-panel")
    expect(details).to_be_visible()
    assert box(details)["width"] == PHONE["width"]
    assert_tappable(page, "[data-test=details-close]")
    shot(page, "phone-08-details")
    page.go_back()  # the system's back gesture or button
    expect(details).to_be_hidden()
    expect(page.get_by_test_id("pane-title")).to_have_text("Mobile team")
    page.get_by_test_id("toggle-details").click()
    page.get_by_test_id("details-close").click()
    expect(details).to_be_hidden()

    # ---- Back returns to the list; so does a swipe from the left edge.
    page.get_by_test_id("back").click()
    expect(items).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))
    open_team(page)
    edge_swipe(page, 400)
    expect(items).to_be_visible()
    expect(page.get_by_test_id("pane-title")).to_have_count(0)
    ctx.close()
    assert PAGE_ERRORS == []


def test_tablet_details_drawer(browser, base_url: str, team: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    ctx, page = device(browser, base_url, TABLET, touch=True)
    page.goto("/login")
    page.get_by_test_id("login-submit").wait_for()
    shot(page, "tablet-00-login")
    sign_in(page)
    shot(page, "tablet-01-list")

    # ---- Search from the rail: results use the room the rail leaves, the touch size holds.
    page.get_by_test_id("rail-search").click()
    assert box(search_release_notes(page))["width"] >= TABLET["width"] / 2
    shot(page, "tablet-01b-search")
    page.get_by_test_id("rail-chats").click()
    open_team(page)
    messages = page.get_by_test_id("message-list")
    before = box(messages)["width"]
    assert before >= 400  # the rail and the list leave the messages room
    page.get_by_test_id("toggle-details").click()
    details = page.get_by_test_id("details-panel")
    expect(details).to_be_visible()
    # A drawer over the messages: they keep their width (no one-letter-per-line wrapping).
    assert box(messages)["width"] == before
    assert box(details)["x"] < box(messages)["x"] + box(messages)["width"]
    body = page.locator("[data-test=message-body]", has_text="release notes")
    assert box(body)["width"] > 200
    shot(page, "tablet-02-details-drawer")
    page.get_by_test_id("details-scrim").click(position={"x": 20, "y": 300})
    expect(details).to_be_hidden()
    page.get_by_test_id("composer-input").fill("From the tablet")
    page.get_by_test_id("composer-input").press("Enter")
    expect(sent(page, "From the tablet")).to_be_visible()
    shot(page, "tablet-03-chat")
    ctx.close()
    assert PAGE_ERRORS == []


def test_installable_and_readable_offline(browser, base_url: str, team: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    ctx, page = device(browser, base_url, PHONE, touch=True)
    sign_in(page)

    # ---- The manifest, named and coloured after the organisation, with its icons.
    href = page.locator("link[rel=manifest]").get_attribute("href")
    manifest = page.evaluate("(href) => fetch(href).then((r) => r.json())", href)
    assert manifest["name"] == "Acme 测试" and manifest["display"] == "standalone"
    purposes = {(i["sizes"], i["purpose"]) for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes

    # ---- The service worker is registered and controls the page.
    script = page.evaluate("() => navigator.serviceWorker.ready.then((r) => r.active.scriptURL)")
    assert script.endswith("/sw.js")

    # ---- A chat read once is kept on the device.
    open_team(page)
    page.evaluate(
        """() => new Promise((resolve) => {
            const look = () => {
              const open = indexedDB.open('parley-offline')
              // Not created yet: do not create it here (without the app's store).
              open.onupgradeneeded = () => open.transaction.abort()
              open.onerror = () => setTimeout(look, 100)
              open.onsuccess = () => {
                const db = open.result
                const keys = db.transaction('kv').objectStore('kv').getAllKeys()
                keys.onsuccess = () => {
                  db.close()
                  if (keys.result.some((k) => String(k).startsWith('messages:'))) resolve(true)
                  else setTimeout(look, 100)
                }
              }
            }
            look()
        })"""
    )

    # ---- No network: a reload still opens the app, on the saved chat, read-only.
    ctx.set_offline(True)
    page.reload()
    expect(page.get_by_test_id("offline-notice")).to_be_visible()
    expect(page.get_by_test_id("connection-banner")).to_be_visible()
    expect(page.get_by_test_id("pane-title")).to_have_text("Mobile team")
    expect(page.locator("[data-test=message]", has_text="update 2")).to_be_visible()
    expect(page.get_by_test_id("composer-input")).to_have_count(0)
    expect(page.get_by_test_id("offline-readonly")).to_be_visible()
    shot(page, "phone-09-offline-chat")
    page.get_by_test_id("back").click()
    expect(page.locator("[data-test=conversation-item]", has_text="Mobile team")).to_be_visible()
    shot(page, "phone-10-offline-list")
    open_team(page)

    # ---- The network is back: live again, and the composer returns.
    ctx.set_offline(False)
    # (the browser's `online` event reconnects the socket at once)
    expect(page.get_by_test_id("offline-notice")).to_be_hidden()
    expect(page.get_by_test_id("composer-input")).to_be_visible()
    ctx.close()
    assert PAGE_ERRORS == []
