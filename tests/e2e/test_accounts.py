"""Accounts in a real browser: the setup form explains its rules in Chinese, an administrator
adds, disables and resets a colleague from a phone-sized window, the colleague must choose
their own password, and signing out is quiet (no alarm, no requests afterwards).

Same setup as test_chat.py: a real server serving web/dist, Debian's Chromium through
Playwright; this module's server starts empty, so the first test runs the setup."""

from __future__ import annotations

import re
import time

from tests.e2e.test_chat import (  # noqa: F401  (fixtures)
    PAGE_ERRORS,
    PHONE,
    base_url,
    browser,
    field,
    login,
    new_page,
    shot,
)

ADMIN_PASSWORD = "alice-password-1"


def item_error(page, test_id: str):  # type: ignore[no-untyped-def]
    """The error Element Plus shows under a form item."""
    return page.get_by_test_id(test_id).locator(".el-form-item__error")


def sign_in(page, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    field(page, "login-name").fill(username)
    field(page, "login-password").fill(password)
    page.get_by_test_id("login-submit").click()


def test_setup_form_shows_field_errors_in_chinese(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    ctx, page = new_page(browser, base_url, locale="zh-CN")
    page.goto("/")
    page.wait_for_url(re.compile(r"/setup$"))
    # The username rules are there before anything is typed.
    expect(page.get_by_test_id("setup-username-hint")).to_have_text(
        "2–64 个字符：字母、数字、“.”、“_”或“-”，以字母或数字开头"
    )
    # The organisation's password rules (GET /auth/password-policy), said before typing.
    expect(page.locator("#setup-password-hint")).to_have_text(
        "至少 10 个字符；不能是常见密码或自己的名字"
    )
    field(page, "setup-org").fill("Acme 测试")
    field(page, "setup-name").fill("Alice Wang")
    field(page, "setup-username").fill("张 三")
    field(page, "setup-password").fill("abc")
    page.get_by_test_id("setup-submit").click()
    expect(item_error(page, "setup-username-item")).to_have_text(
        "只能使用字母、数字、“.”、“_”和“-”，并以字母或数字开头"
    )
    expect(item_error(page, "setup-password-item")).to_have_text("至少 10 个字符")
    expect(item_error(page, "setup-org-item")).to_have_count(0)
    expect(page.locator(".el-form-item.is-error")).to_have_count(2)
    shot(page, "accounts-01-setup-errors")

    field(page, "setup-username").fill("alice")
    field(page, "setup-password").fill(ADMIN_PASSWORD)
    page.get_by_test_id("setup-submit").click()
    page.get_by_test_id("conversation-list").wait_for()
    ctx.close()
    assert PAGE_ERRORS == []


def test_admin_manages_a_colleague_who_must_choose_a_password(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    ctx_a, a = new_page(browser, base_url, "zh-CN", PHONE)
    login(a, "alice", ADMIN_PASSWORD)
    a.get_by_test_id("tab-contacts").click()  # the phone's tab bar

    # ---- Add Bob with an e-mail and an initial password he must replace.
    a.get_by_test_id("add-colleague").click()
    field(a, "new-user-name").fill("Bob Li")
    field(a, "new-user-username").fill("bob")
    field(a, "new-user-email").fill("bob@example.com")
    field(a, "new-user-password").fill("bob-initial-1")
    expect(a.get_by_test_id("new-user-must-change").locator("input")).to_be_checked()
    a.get_by_test_id("new-user-submit").click()
    expect(a.get_by_test_id("user-card")).to_contain_text("Bob Li")

    # ---- The server's answer to a taken username shows next to the field, in Chinese.
    a.get_by_role("button", name="返回").click()
    a.get_by_test_id("add-colleague").click()
    field(a, "new-user-name").fill("Another Bob")
    field(a, "new-user-username").fill("bob")
    field(a, "new-user-password").fill("bob-initial-2")
    a.get_by_test_id("new-user-submit").click()
    expect(item_error(a, "new-user-username-item")).to_have_text("该用户名或邮箱已被使用")
    shot(a, "accounts-02-username-taken-390")
    a.keyboard.press("Escape")

    # ---- Bob signs in and must choose his own password before anything else.
    ctx_b, b = new_page(browser, base_url)
    sign_in(b, "bob", "bob-initial-1")
    expect(b.get_by_test_id("change-password-page")).to_be_visible()
    b.goto("/contacts")  # nothing else is reachable
    expect(b.get_by_test_id("change-password-page")).to_be_visible()
    field(b, "current-password").fill("bob-initial-1")
    field(b, "new-password").fill("bob-initial-1")
    field(b, "confirm-password").fill("bob-initial-1")
    b.get_by_test_id("password-submit").click()
    expect(b.locator(".el-form-item.is-error .el-form-item__error")).to_have_text(
        "Choose a password different from the current one"
    )
    field(b, "new-password").fill("bob-own-secret-2")
    field(b, "confirm-password").fill("bob-own-secret-2")
    b.get_by_test_id("password-submit").click()
    b.get_by_test_id("conversation-list").wait_for()

    # ---- The admin disables Bob from his card: Bob is signed out at once.
    bob_row = a.locator('[data-test=directory-user][data-username="bob"]')
    bob_row.click()
    a.get_by_test_id("disable-user").click()
    a.locator(".el-message-box").get_by_role("button", name="停用账号").click()
    expect(a.get_by_test_id("user-disabled")).to_have_text("已停用")
    shot(a, "accounts-03-disabled-390")
    b.wait_for_url(re.compile(r"/login"))
    sign_in(b, "bob", "bob-own-secret-2")
    # Told exactly what a wrong password is told: a stranger cannot tell a disabled account.
    expect(b.get_by_role("alert")).to_have_text("Wrong username or password.")
    expect(b.get_by_test_id("conversation-list")).to_have_count(0)

    # ---- Enabled again and given a new password, which Bob must replace once more.
    a.get_by_test_id("enable-user").click()
    expect(a.get_by_test_id("user-disabled")).to_have_count(0)
    a.get_by_test_id("reset-password").click()
    # The server's policy, shown on the field: a common password, then a short one.
    field(a, "reset-new-password").fill("qwertyuiop")
    a.get_by_test_id("reset-submit").click()
    reset_error = a.get_by_test_id("reset-form").locator(".el-form-item__error")
    expect(reset_error).to_have_text("这是最常用的密码之一，请换一个")
    field(a, "reset-new-password").fill("12345678")
    a.get_by_test_id("reset-submit").click()
    expect(reset_error).to_have_text("至少 10 个字符")
    field(a, "reset-new-password").fill("bob-reset-pass-3")
    a.get_by_test_id("reset-submit").click()
    expect(a.locator(".el-message--success", has_text="已重置 Bob Li 的密码")).to_be_visible()
    shot(a, "accounts-04-reset-390")

    sign_in(b, "bob", "bob-reset-pass-3")
    expect(b.get_by_test_id("change-password-page")).to_be_visible()
    shot(b, "accounts-05-must-change")
    field(b, "current-password").fill("bob-reset-pass-3")
    field(b, "new-password").fill("bob-final-secret-4")
    field(b, "confirm-password").fill("bob-final-secret-4")
    b.get_by_test_id("password-submit").click()
    b.get_by_test_id("conversation-list").wait_for()
    ctx_a.close()
    ctx_b.close()
    assert PAGE_ERRORS == []


def test_sign_out_is_quiet(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    ctx, page = new_page(browser, base_url, locale="zh-CN")
    sockets, hellos = [], []

    def opened(ws) -> None:  # type: ignore[no-untyped-def]
        sockets.append(ws)
        ws.on("framereceived", lambda f: hellos.append(f) if '"hello"' in str(f) else None)

    page.on("websocket", opened)
    login(page, "alice", ADMIN_PASSWORD)
    for _ in range(100):  # until the socket is live (its hello), at most 10 s
        if hellos:
            break
        page.wait_for_timeout(100)
    assert hellos

    # The answer to the sign-out is held back, as on a slow network, so that the server's
    # `session.revoked` would reach a still-open socket first: the order in which the
    # client used to probe the dead session (two GET /users/me, both 401).
    def slow_logout(route) -> None:  # type: ignore[no-untyped-def]
        answer = route.fetch()
        time.sleep(1)
        route.fulfill(response=answer)

    page.route("**/api/v1/auth/logout", slow_logout)
    after: list[str] = []
    refused: list[str] = []
    page.on("request", lambda r: after.append(f"{r.method} {r.url.split(base_url)[-1]}"))
    page.on("response", lambda r: refused.append(r.url) if r.status == 401 else None)

    page.get_by_test_id("rail-me").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url(re.compile(r"/login$"))
    expect(page.get_by_test_id("signed-out")).to_have_text("你已退出登录。")
    expect(page.get_by_text("登录已失效")).to_have_count(0)
    # Long enough for a socket reconnect (1 s back-off) or a stray poll to show up.
    page.wait_for_timeout(3000)
    shot(page, "accounts-06-signed-out")
    api = [r for r in after if "/api/" in r]
    assert api == ["POST /api/v1/auth/logout"], api
    assert refused == []
    assert sockets and all(ws.is_closed() for ws in sockets)
    assert len(sockets) == 1  # no reconnect after signing out
    # The session really ended on the server: a reload stays signed out.
    page.goto("/")
    page.wait_for_url(re.compile(r"/login"))
    expect(page.get_by_test_id("login-submit")).to_be_visible()
    ctx.close()
    assert PAGE_ERRORS == []
