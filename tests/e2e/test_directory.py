"""The organisation in a real browser: an admin builds a small department tree (drag and
drop included), and a member finds a colleague by pinyin initials in the directory, on a
phone-sized screen, and starts a chat from the card.

Same setup as test_chat.py (a real server serving web/dist, Debian's Chromium)."""

from __future__ import annotations

from tests.e2e.helpers import PASSWORD, add_colleague, set_up
from tests.e2e.test_chat import (  # noqa: F401  (fixtures)
    PAGE_ERRORS,
    PHONE,
    base_url,
    browser,
    field,
    login,
    new_page,
)


def _add_department(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.locator(".el-message-box input").fill(name)
    page.locator(".el-message-box .el-button--primary").click()
    page.locator(f"[data-test=dept-node][data-name='{name}']").wait_for()


def test_admin_builds_a_tree_and_a_member_finds_a_colleague(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    admin = set_up(base_url)
    zhang = add_colleague(admin, "zhangsan", "张三")
    add_colleague(admin, "lisi", "李四")
    add_colleague(admin, "wangwu", "王五")

    ctx, page = new_page(browser, base_url, locale="zh-CN")
    login(page, "alice", PASSWORD)
    page.goto("/admin/departments")
    page.get_by_test_id("dept-add-root").click()
    _add_department(page, "总部")
    page.get_by_test_id("dept-add-root").click()
    _add_department(page, "研发部")
    # Drag 研发部 into 总部: it becomes a sub-department.
    source = page.locator("[data-test=dept-node][data-name='研发部']")
    target = page.locator("[data-test=dept-node][data-name='总部']")
    source.drag_to(target)
    nested = page.locator(
        ".el-tree-node:has(> .el-tree-node__content [data-name='总部']) "
        ".el-tree-node__children [data-name='研发部']"
    )
    expect(nested).to_be_visible()
    ctx.close()

    tree = {d["name"]: d for d in admin.http.get("/departments").json()}
    assert tree["研发部"]["parent_id"] == tree["总部"]["id"]
    body = {"departments": [{"department_id": tree["研发部"]["id"], "title": "前端工程师"}]}
    assert admin.http.put(f"/users/{zhang.me['id']}/org", json=body).status_code == 200

    # Wang Wu, on a phone, drills down the tree and then searches by initials.
    ctx, page = new_page(browser, base_url, locale="zh-CN", viewport=PHONE)
    login(page, "wangwu", PASSWORD)
    page.goto("/directory")
    page.locator("[data-test=dir-department][data-name='总部']").click()
    rd = page.locator("[data-test=dir-department][data-name='研发部']")
    expect(rd.get_by_test_id("dir-count")).to_have_text("1 人")
    rd.click()
    expect(page.locator("[data-test=dir-person][data-username=zhangsan]")).to_be_visible()
    page.get_by_test_id("dir-crumb-top").click()
    field(page, "dir-search").fill("zs")
    person = page.locator("[data-test=dir-person][data-username=zhangsan]")
    expect(person).to_contain_text("前端工程师")
    expect(page.locator("[data-test=dir-person]")).to_have_count(1)
    person.click()
    card = page.get_by_test_id("directory-card")
    expect(card.get_by_test_id("card-name")).to_have_text("张三")
    expect(card.get_by_test_id("card-department")).to_contain_text("总部 / 研发部")
    card.get_by_test_id("card-message").click()
    expect(page.get_by_test_id("pane-title")).to_have_text("张三")
    ctx.close()
    assert not PAGE_ERRORS, PAGE_ERRORS
