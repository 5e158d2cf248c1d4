"""A guest in the browser: they open an invitation link on a phone, choose an account,
land in the group they were invited to with the External badge on it, and have no
directory. A colleague sees the group badged too; a dead link says so plainly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.e2e.helpers import PASSWORD
from tests.e2e.test_chat import (  # noqa: F401  (fixtures)
    PAGE_ERRORS,
    PHONE,
    base_url,
    browser,
    field,
    login,
    new_page,
    send,
    sent,
    shot,
)
from tests.e2e.test_features import group, org  # noqa: F401  (fixture)


def test_a_guest_joins_by_link_and_sees_only_their_group(browser, base_url, org) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    admin, bob = org["admin"], org["bob"]
    room = group(admin, "Supplier room", bob)
    expires = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    link = admin.post("/invitations", {"expires_at": expires, "group_ids": [room], "max_uses": 1})

    ctx, page = new_page(browser, base_url, locale="zh-CN", viewport=PHONE)
    page.goto(link["url"])
    expect(page.locator("h1")).to_contain_text("Acme 测试")
    expect(page.get_by_test_id("invite-groups")).to_contain_text("Supplier room")
    shot(page, "guest-invite-phone")
    field(page, "invite-name").fill("Victor 供应商")
    field(page, "invite-username").fill("victor")
    field(page, "invite-password").fill(PASSWORD)
    page.get_by_test_id("invite-submit").click()

    # Signed in, in the invited group, which is marked external (外部).
    item = page.locator("[data-test=conversation-item]", has_text="Supplier room")
    expect(item.get_by_test_id("external-badge")).to_have_text("外部")
    expect(page.get_by_test_id("conversation-item")).to_have_count(1)
    item.click()
    expect(page.get_by_test_id("pane-title")).to_contain_text("Supplier room")
    expect(page.get_by_test_id("pane-title").get_by_test_id("external-badge")).to_be_visible()
    send(page, "Hello from Victor")
    expect(sent(page, "Hello from Victor")).to_be_visible()
    shot(page, "guest-group-phone")

    # No directory: no tab for it, the page sends them back, the API refuses.
    page.get_by_test_id("back").click()
    expect(page.get_by_test_id("tab-bar")).to_be_visible()
    expect(page.get_by_test_id("tab-contacts")).to_have_count(0)
    page.goto("/contacts")
    expect(page.get_by_test_id("conversation-list")).to_be_visible()
    assert not page.url.endswith("/contacts")
    refused = page.request.get("/api/v1/directory")
    assert refused.status == 403 and refused.json()["code"] == "permission_required"

    # The link was for one account: opening it again says it is used up.
    page.goto(link["url"])
    expect(page.get_by_test_id("invite-problem")).to_contain_text("已被使用")
    ctx.close()

    # A colleague (desktop, English) sees the group and the guest badged External.
    ctx, page = new_page(browser, base_url)
    login(page, "bob", PASSWORD)
    item = page.locator("[data-test=conversation-item]", has_text="Supplier room")
    expect(item.get_by_test_id("external-badge")).to_have_text("External")
    item.click()
    # The guest's name on their message carries the badge too.
    said = page.locator("[data-test=message]", has_text="Hello from Victor")
    expect(said.get_by_test_id("external-badge")).to_have_text("External")
    shot(page, "guest-group-colleague")
    ctx.close()
    assert not PAGE_ERRORS, PAGE_ERRORS


def test_a_dead_link_says_so(browser, base_url, org) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    ctx, page = new_page(browser, base_url, viewport=PHONE)
    page.goto("/invite/plt_not-a-real-link")
    expect(page.get_by_test_id("invite-problem")).to_contain_text("not valid")
    expect(page.get_by_test_id("invite-submit")).to_have_count(0)
    ctx.close()
