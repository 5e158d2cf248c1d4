"""The admin console in a real browser: the owner opens it at desktop size and at 390 px,
creates a user, imports a small CSV after a dry run that found an error, and sees the
dashboard; a member is never shown the console and is sent away from /admin."""

from __future__ import annotations

import re

from tests.e2e.helpers import PASSWORD, add_colleague, set_up
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

HEADER = "username,display_name,email,phone,title,employee_no,department,role\n"
BAD = HEADER + "wangwu,王五,bad-mail,,,,,\nzhaoliu,赵六,,,,,,\n"
GOOD = HEADER + "wangwu,王五,ww@example.com,,,,,\nzhaoliu,赵六,,,,,,guest\n"


def _csv(name: str, text: str, encoding: str = "utf-8") -> dict[str, object]:
    return {"name": name, "mimeType": "text/csv", "buffer": text.encode(encoding)}


def test_admin_console_at_desktop(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    set_up(base_url)
    ctx, page = new_page(browser, base_url, locale="zh-CN")
    login(page, "alice", PASSWORD)
    page.get_by_test_id("rail-admin").click()
    # The console opens on its first section: the dashboard.
    page.wait_for_url(re.compile(r"/admin/dashboard$"))
    expect(page.get_by_test_id("dash-users")).to_contain_text("正常用户")
    expect(page.get_by_test_id("dash-online")).to_contain_text("当前在线")
    expect(page.get_by_test_id("dash-health")).to_contain_text("数据库: 正常")
    expect(page.get_by_test_id("dash-chart").locator(".bar")).to_have_count(30)
    shot(page, "admin-01-dashboard")

    page.get_by_test_id("admin-nav-users").click()
    page.get_by_test_id("admin-create-user").click()
    field(page, "new-user-name").fill("陈七")
    field(page, "new-user-username").fill("chenqi")
    field(page, "new-user-password").fill("chenqi-pass-1")
    page.get_by_test_id("new-user-submit").click()
    table = page.get_by_test_id("admin-users-table")
    expect(table).to_contain_text("chenqi")
    # The new account opens in the drawer; an edit shows in the list.
    drawer = page.get_by_test_id("admin-user-drawer")
    field(drawer, "admin-user-title").fill("测试工程师")
    drawer.get_by_test_id("admin-user-save").click()
    expect(page.get_by_text("已保存 陈七")).to_be_visible()
    page.keyboard.press("Escape")
    field(page, "admin-users-q").fill("chenqi")
    expect(table.locator("tbody tr")).to_have_count(1)
    shot(page, "admin-02-users")

    # CSV: the dry run finds a bad e-mail and nothing can be applied; the fixed file can.
    page.get_by_test_id("admin-import").click()
    dialog = page.get_by_test_id("admin-import-dialog")
    dialog.get_by_test_id("admin-import-file").set_input_files(_csv("bad.csv", BAD))
    expect(dialog.get_by_test_id("admin-import-summary")).to_contain_text("2 行中有 1 行出错")
    expect(dialog.get_by_test_id("admin-import-rows")).to_contain_text("email 无效")
    expect(dialog.get_by_test_id("admin-import-apply")).to_be_disabled()
    shot(page, "admin-03-import-errors")
    dialog.get_by_test_id("admin-import-file").set_input_files(_csv("good.csv", GOOD, "gbk"))
    expect(dialog.get_by_test_id("admin-import-summary")).to_contain_text("2 行可以导入")
    expect(dialog).to_contain_text("按 gbk 读取")
    dialog.get_by_test_id("admin-import-apply").click()
    expect(dialog.get_by_test_id("admin-import-created")).to_contain_text("已创建 2 个账号")
    with page.expect_download() as download:
        dialog.get_by_test_id("admin-import-download").click()
    saved = download.value.path().read_text(encoding="utf-8-sig")
    assert saved.splitlines()[0] == "username,display_name,password"
    assert {line.split(",")[0] for line in saved.splitlines()[1:]} == {"wangwu", "zhaoliu"}
    dialog.get_by_role("button", name="关闭").last.click()
    field(page, "admin-users-q").fill("")
    page.get_by_test_id("admin-users-status").click()
    field(page, "admin-users-q").fill("赵六")
    expect(table).to_contain_text("访客")
    ctx.close()
    assert PAGE_ERRORS == []


def test_admin_console_at_390px_and_hidden_from_members(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    admin = set_up(base_url)
    add_colleague(admin, "bob", "Bob Li")
    ctx, page = new_page(browser, base_url, locale="en-US", viewport=PHONE)
    login(page, "alice", PASSWORD)
    page.goto("/me")
    page.get_by_test_id("me-admin").click()
    # A phone drills down: the list of sections, then one section, then back.
    expect(page.get_by_test_id("admin-home")).to_be_visible()
    page.get_by_test_id("admin-home-users").click()
    expect(page.get_by_test_id("admin-users-list")).to_contain_text("Bob Li")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "admin-04-phone-users")
    page.get_by_test_id("admin-back").click()
    expect(page.get_by_test_id("admin-home")).to_be_visible()
    page.get_by_test_id("admin-menu").click()
    page.get_by_test_id("admin-menu-dashboard").click()
    expect(page.get_by_test_id("dash-today")).to_contain_text("Messages today")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "admin-05-phone-dashboard")
    ctx.close()

    ctx, page = new_page(browser, base_url, locale="en-US", viewport=PHONE)
    login(page, "bob", PASSWORD)
    page.goto("/me")
    expect(page.get_by_test_id("me-settings")).to_be_visible()
    expect(page.get_by_test_id("me-admin")).to_have_count(0)
    page.goto("/admin/users")
    page.wait_for_url(re.compile(r"/$"))
    ctx.close()
    assert PAGE_ERRORS == []
