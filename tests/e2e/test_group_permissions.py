"""Group permissions in a real browser: the owner (desktop, English) restricts invitations
to admins and mutes a member for 10 minutes; the member (a 390 px phone, Chinese) sees the
invite button go, the mute notice with its end in the composer, and cannot send; unmuted,
they can again. People and the group are arranged over the HTTP API."""

from __future__ import annotations

from tests.e2e.helpers import add_colleague, set_up
from tests.e2e.test_chat import (  # noqa: F401  (fixtures)
    PAGE_ERRORS,
    base_url,
    browser,
    field,
    login,
    new_page,
    send,
    sent,
    shot,
)
from tests.e2e.test_features import group, open_chat

PHONE = {"width": 390, "height": 844}


def test_owner_restricts_invites_and_mutes_a_member(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    alice = set_up(base_url)
    dora = add_colleague(alice, "dora", "Dora 杜")
    cid = group(alice, "Rules room", dora)
    r = alice.http.patch(f"/conversations/{cid}/permissions", json={"invite_role": "member"})
    assert r.status_code == 200, r.text

    ctx_d, d = new_page(browser, base_url, locale="zh-CN", viewport=PHONE)
    login(d, "dora", "e2e-password-1")
    open_chat(d, "Rules room")
    d.get_by_test_id("toggle-details").click()
    expect(d.get_by_test_id("add-members")).to_be_visible()  # everyone may invite
    expect(d.get_by_test_id("group-permissions")).to_have_count(0)  # not an admin
    d.get_by_test_id("details-close").click()

    ctx_a, a = new_page(browser, base_url)
    login(a, "alice", "e2e-password-1")
    open_chat(a, "Rules room")
    a.get_by_test_id("toggle-details").click()
    perms = a.get_by_test_id("group-permissions")
    perms.get_by_test_id("perm-invite_role").click()
    a.get_by_role("option", name="Admins only").click()
    expect(perms.get_by_test_id("perm-invite_role")).to_contain_text("Admins only")
    shot(a, "group-perms-01-owner-settings")

    # Dora's client follows live: no invite button any more.
    d.get_by_test_id("toggle-details").click()
    expect(d.get_by_test_id("details-panel")).to_be_visible()
    expect(d.get_by_test_id("add-members")).to_have_count(0)
    d.get_by_test_id("details-close").click()

    # Alice mutes Dora for 10 minutes from the member list.
    a.get_by_role("button", name="Actions for Dora 杜").click()
    a.locator("[data-test=mute-m10]:visible").click()
    expect(a.get_by_test_id("muted-tag")).to_be_visible()
    notice = d.get_by_test_id("muted-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("你已被禁言")
    expect(d.get_by_test_id("send")).to_be_disabled()
    shot(d, "group-perms-02-member-muted-phone")

    # Unmuted, Dora talks again.
    a.get_by_role("button", name="Actions for Dora 杜").click()
    a.locator("[data-test=unmute]:visible").click()
    expect(notice).to_have_count(0)
    send(d, "我又可以发言了")
    expect(sent(d, "我又可以发言了")).to_be_visible()
    expect(a.get_by_test_id("message-body").get_by_text("我又可以发言了")).to_be_visible()
    ctx_a.close()
    ctx_d.close()
    assert not PAGE_ERRORS, PAGE_ERRORS


def test_member_invitation_waits_for_an_admin(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    alice = set_up(base_url)
    dora = add_colleague(alice, "dora", "Dora 杜")
    add_colleague(alice, "evan", "Evan 易")
    cid = group(alice, "Approval room", dora)
    body = {"invite_role": "member", "join_approval": True}
    assert alice.http.patch(f"/conversations/{cid}/permissions", json=body).status_code == 200

    ctx_a, a = new_page(browser, base_url)
    login(a, "alice", "e2e-password-1")
    open_chat(a, "Approval room")
    a.get_by_test_id("toggle-details").click()
    expect(a.get_by_test_id("join-requests")).to_have_count(0)

    # Dora (phone, Chinese) invites Evan: it goes to the admins for approval.
    ctx_d, d = new_page(browser, base_url, locale="zh-CN", viewport=PHONE)
    login(d, "dora", "e2e-password-1")
    open_chat(d, "Approval room")
    d.get_by_test_id("toggle-details").click()
    d.get_by_test_id("add-members").click()
    field(d, "picker-search").fill("Evan")
    d.locator('[data-test=picker-option][data-username="evan"]').click()
    d.get_by_test_id("add-members-confirm").click()
    expect(d.get_by_text("已提交群管理员审批。")).to_be_visible()

    # Alice sees the request arrive live, and approves it: Evan is a member.
    requests = a.get_by_test_id("join-requests")
    expect(requests).to_contain_text("Evan 易")
    expect(requests).to_contain_text("invited by Dora 杜")
    shot(a, "group-perms-03-join-request")
    requests.get_by_test_id("approve").click()
    expect(requests).to_have_count(0)
    expect(a.get_by_test_id("members")).to_contain_text("Evan 易")
    ctx_a.close()
    ctx_d.close()
    assert not PAGE_ERRORS, PAGE_ERRORS
