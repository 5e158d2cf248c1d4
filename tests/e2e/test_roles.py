"""Roles in a real browser: an administrator composes a custom role on /admin/roles from the
catalogue's Chinese labels and gives it to a guest from the contacts page; the guest's open
client offers what it grants at once (new group, @all), and they create a group with it.

Same setup as test_chat.py: a real server serving web/dist, Debian's Chromium."""

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
    shot,
)


def test_admin_composes_a_role_and_the_member_can_use_it(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    admin = set_up(base_url)
    dave = add_colleague(admin, "dave", "Dave Zhou")
    r = admin.http.put(f"/users/{dave.me['id']}/roles", json={"system_role": "guest"})
    assert r.status_code == 200, r.text
    cid = admin.post(
        "/conversations", {"type": "group", "name": "项目组", "member_ids": [dave.me["id"]]}
    )["conversation"]["id"]
    # A group admin there, so only the permission decides whether he may @all.
    r = admin.http.put(f"/conversations/{cid}/members/{dave.me['id']}/role", json={"role": "admin"})
    assert r.status_code == 200, r.text

    # The guest, on a phone, may neither start a group nor @all.
    ctx_d, d = new_page(browser, base_url, "en-US", PHONE)
    login(d, "dave", PASSWORD)
    d.get_by_test_id("conversation-list").wait_for()
    expect(d.get_by_test_id("new-group")).to_have_count(0)
    d.goto(f"/c/{cid}")
    field_d = d.get_by_test_id("composer-input")
    field_d.click()
    field_d.type("@al")
    expect(d.get_by_test_id("mention-list")).to_contain_text("@alice")  # colleagues, yes
    expect(d.locator("[data-test=mention-list] .all-icon")).to_have_count(0)  # @all, no
    field_d.fill("")

    # The owner composes the role from the catalogue, in Chinese.
    ctx_a, a = new_page(browser, base_url, "zh-CN")
    login(a, "alice", PASSWORD)
    a.goto("/admin/roles")
    expect(a.get_by_test_id("roles-page")).to_contain_text("角色与权限")
    a.get_by_test_id("new-role").click()
    field(a, "role-name").fill("项目负责人")
    field(a, "role-description").fill("可以建群和 @所有人")
    expect(a.get_by_test_id("perm-create_groups")).to_contain_text("创建群组")
    a.get_by_test_id("perm-create_groups").click()
    a.get_by_test_id("perm-mention_all").click()
    # Nobody grants what they do not hold: reading every message is not the owner's either.
    expect(a.get_by_test_id("perm-read_all_messages").locator("input")).to_be_disabled()
    field(a, "role-upload").fill("500")
    a.get_by_test_id("role-save").click()
    card = a.get_by_test_id("role-项目负责人")
    expect(card).to_contain_text("创建群组")
    expect(card).to_contain_text("使用 @所有人")
    expect(card).to_contain_text("0 人")
    shot(a, "roles-01-composed")

    # ... and gives it to Dave from his card.
    a.goto("/contacts")
    a.locator("[data-test=directory-user][data-username=dave]").click()
    editor = a.get_by_test_id("user-roles-editor")
    editor.get_by_test_id("user-role-项目负责人").click()
    editor.get_by_test_id("user-roles-save").click()
    expect(a.locator(".el-message--success")).to_be_visible()
    shot(a, "roles-02-assigned")

    # Dave's open client offers both at once, without reloading.
    expect(d.get_by_test_id("composer-input")).to_be_visible()
    field_d.type("@al")
    expect(d.locator("[data-test=mention-list] .all-icon")).to_be_visible()
    field_d.fill("")
    d.goto("/")
    d.get_by_test_id("new-group").click()
    field(d, "group-name").fill("Dave 的小组")
    d.get_by_test_id("group-create").click()
    expect(d.get_by_test_id("conversation-list")).to_contain_text("Dave 的小组")
    shot(d, "roles-03-guest-made-a-group")
    ctx_a.close()
    ctx_d.close()

    # The roles page fits a phone: the role's card, its actions, no sideways scrolling.
    ctx_p, p = new_page(browser, base_url, "zh-CN", PHONE)
    login(p, "alice", PASSWORD)
    p.goto("/admin/roles")
    expect(p.get_by_test_id("edit-role-项目负责人")).to_be_visible()
    expect(p.get_by_test_id("delete-role-项目负责人")).to_be_in_viewport()
    assert p.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    shot(p, "roles-04-phone")
    ctx_p.close()
    assert PAGE_ERRORS == []
