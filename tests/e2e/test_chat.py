"""The web client in a real browser: Debian's Chromium driven by Playwright.

Two people in two browser contexts chat through the built client served by a real
server. Needs web/dist (`cd web && npm ci && npm run build`) and /usr/bin/chromium; both
missing outside CI means a skip, under CI=true a failure. Screenshots of the main screens
go to test-artifacts/e2e/."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port
from tests.processes import parley_env, parley_serve

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "web" / "dist"
CHROMIUM = Path(os.environ.get("PARLEY_CHROMIUM", "/usr/bin/chromium"))
DESKTOP = {"width": 1360, "height": 860}
PHONE = {"width": 390, "height": 844}
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
IN_CI = os.environ.get("CI") == "true"
PAGE_ERRORS: list[str] = []


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, server_env: dict[str, str]) -> Iterator[str]:
    _require((DIST / "index.html").is_file(), "web/dist is missing: run `npm run build` in web/")
    _require(CHROMIUM.exists(), f"{CHROMIUM} is missing: apt-get install chromium")
    data = tmp_path_factory.mktemp("e2e-data")
    port = free_port()
    env = parley_env(data, port, web_dist=str(DIST))
    env.update(server_env)
    url = f"http://127.0.0.1:{port}"
    with parley_serve(env, data / "server.log", lambda: _healthy(url)):
        yield url


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@contextlib.contextmanager
def launched(*extra_args: str, executable: Path = CHROMIUM) -> Iterator[object]:
    """Debian's Chromium, headless, through Playwright (`data-test` as the test id);
    `executable`: a wrapper that runs it elsewhere (in a network namespace)."""
    if not IN_CI:
        pytest.importorskip("playwright", reason="pip install playwright (no browser download)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        p.selectors.set_test_id_attribute("data-test")
        b = p.chromium.launch(
            executable_path=str(executable),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                *extra_args,
            ],
        )
        yield b
        b.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with launched() as b:
        yield b


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Screenshot once transitions (dialogs fading in, popovers) have finished."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # (evaluate, not wait_for_function: the page's CSP forbids evaluating strings)
    page.evaluate(
        """() => Promise.all(document.getAnimations()
            .filter((a) => a.effect?.getTiming().iterations !== Infinity)
            .map((a) => a.finished.catch(() => null)))"""
    )
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def new_page(  # type: ignore[no-untyped-def]
    browser,
    base_url: str,
    locale: str = "en-US",
    viewport: dict[str, int] = DESKTOP,
    timeout_ms: int = 10_000,
):
    ctx = browser.new_context(base_url=base_url, locale=locale, viewport=viewport)
    page = ctx.new_page()
    page.set_default_timeout(timeout_ms)
    # An uncaught exception in the client fails the test (checked at its end).
    page.on("pageerror", lambda e: PAGE_ERRORS.append(f"{page.url}: {e}"))
    return ctx, page


def login(page, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    field(page, "login-name").fill(username)
    field(page, "login-password").fill(password)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("conversation-list").wait_for()


def field(page, test_id: str):  # type: ignore[no-untyped-def]
    """The native input of an Element Plus field (the test id may sit on it or around it)."""
    return page.locator(f"input[data-test={test_id}], [data-test={test_id}] input").first


def send(page, text: str) -> None:  # type: ignore[no-untyped-def]
    box = page.get_by_test_id("composer-input")
    box.fill(text)
    box.press("Enter")


def sent(page, text: str):  # type: ignore[no-untyped-def]
    return page.locator("[data-test=message][data-status=sent]", has_text=text)


def bodies(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.get_by_test_id("message-body").all_inner_texts()


def test_two_people_chat(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    # ---- First run: the setup page creates the organisation and its admin.
    ctx_a, a = new_page(browser, base_url)
    a.goto("/")
    a.wait_for_url(re.compile(r"/setup$"))
    shot(a, "01-setup")
    field(a, "setup-org").fill("Acme 测试")
    field(a, "setup-name").fill("Alice Wang")
    field(a, "setup-username").fill("alice")
    field(a, "setup-password").fill("correct-horse-1")
    a.get_by_test_id("setup-submit").click()
    a.get_by_test_id("conversation-list").wait_for()

    # ---- The admin adds a colleague from the directory.
    a.get_by_test_id("rail-contacts").click()
    a.get_by_test_id("add-colleague").click()
    field(a, "new-user-name").fill("Bob Li")
    field(a, "new-user-username").fill("bob")
    field(a, "new-user-password").fill("bob-password-1")
    a.get_by_test_id("new-user-must-change").click()  # Bob keeps this password
    a.get_by_test_id("new-user-submit").click()
    expect(a.locator('[data-test=directory-user][data-username="bob"]')).to_be_visible()
    shot(a, "02-contacts")

    # ---- A creates a group with B.
    a.get_by_test_id("rail-chats").click()
    a.get_by_test_id("new-group").click()
    field(a, "group-name").fill("Launch team")
    field(a, "picker-search").fill("Bob")
    a.locator('[data-test=picker-option][data-username="bob"]').click()
    expect(a.get_by_test_id("picker-selected")).to_contain_text("Bob Li")
    # Nothing the picker shows covers the create button (a dropdown used to).
    a.get_by_test_id("group-create").click(timeout=3000)
    expect(a.get_by_test_id("pane-title")).to_have_text("Launch team")

    ctx_b, b = new_page(browser, base_url, locale="en-US")
    login(b, "bob", "bob-password-1")
    b_item = b.locator("[data-test=conversation-item]", has_text="Launch team")
    expect(b_item).to_be_visible()

    # ---- A sends emoji and a mention (picked from the @ autocomplete); B sees it live.
    box = a.get_by_test_id("composer-input")
    box.fill("Hello 🎉 ")
    box.type("@bo")
    expect(a.get_by_test_id("mention-list")).to_be_visible()
    box.press("Enter")  # picks the highlighted member, shown by name
    expect(box).to_have_value("Hello 🎉 @Bob Li ")
    box.type("please review")
    box.press("Enter")
    expect(sent(a, "please review")).to_be_visible()
    expect(b_item.get_by_test_id("mention-marker")).to_be_visible()
    expect(b_item.get_by_test_id("unread-badge")).to_have_text("1")
    receipt = a.locator("[data-test=message]", has_text="please review").get_by_test_id("receipt")
    expect(receipt).to_have_text("1 unread")
    shot(b, "03-list-with-mention")

    # ---- B opens it, replies; A's receipt turns to read and the reply arrives.
    b_item.click()
    expect(b.locator("[data-test=message]", has_text="please review")).to_be_visible()
    # The mention reads as the display name; the stored text keeps the username.
    expect(b.locator('.mention-me[data-username="bob"]')).to_have_text("@Bob Li")
    msg = b.locator("[data-test=message]", has_text="please review")
    msg.hover()
    msg.get_by_test_id("reply").click()
    expect(b.get_by_test_id("reply-banner")).to_be_visible()
    send(b, "On it 👍")
    expect(receipt).to_have_text("All read")
    expect(a.locator("[data-test=message]", has_text="On it")).to_be_visible()
    shot(a, "04-conversation")
    expect(b_item.get_by_test_id("unread-badge")).to_have_count(0)

    # ---- B goes offline; A sends 5; B comes back and sees exactly those 5, once each.
    ctx_b.close()
    for i in range(1, 6):
        send(a, f"while you were away {i}")
    expect(sent(a, "while you were away 5")).to_be_visible()
    ctx_b, b = new_page(browser, base_url)
    login(b, "bob", "bob-password-1")
    b_item = b.locator("[data-test=conversation-item]", has_text="Launch team")
    expect(b_item.get_by_test_id("unread-badge")).to_have_text("5")
    b_item.click()
    expect(b.locator("[data-test=message]", has_text="while you were away 5")).to_be_visible()
    away = [t for t in bodies(b) if "while you were away" in t]
    assert away == [f"while you were away {i}" for i in range(1, 6)]
    assert sum("please review" in t for t in bodies(b)) == 1

    # ---- Hostile input renders as text and safe links only.
    dialogs: list[str] = []
    b.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    send(
        a,
        "<img src=x onerror=alert(1)> [js](javascript:alert(2)) [<b onmouseover=alert(3)>bold</b>](https://example.com/x)",
    )
    hostile = b.locator("[data-test=message]", has_text="onerror")
    expect(hostile).to_be_visible()
    body = hostile.get_by_test_id("message-body")
    assert body.locator("img").count() == 0
    assert body.locator("b").count() == 0
    assert body.locator('a[href^="javascript"]').count() == 0
    link = body.locator('a[href="https://example.com/x"]')
    expect(link).to_have_attribute("rel", re.compile("noopener"))
    link.hover()
    assert dialogs == []

    # ---- Switching language changes the UI text.
    b.get_by_test_id("rail-settings").click()
    expect(b.locator("h1")).to_have_text("Settings")
    b.get_by_test_id("settings-language").click()
    b.locator(".el-select-dropdown__item", has_text="简体中文").click()
    expect(b.locator("h1")).to_have_text("设置")
    expect(b.get_by_test_id("rail-chats")).to_contain_text("消息")
    shot(b, "05-settings-zh")
    b.get_by_test_id("rail-chats").click()
    b_item.click()
    shot(b, "06-conversation-zh")

    ctx_a.close()
    ctx_b.close()
    assert PAGE_ERRORS == []
