"""What a first week of real use tripped over (issue 14), in a real browser: mentions read as
display names, a message written offline goes out by itself on reconnect, notifications are
offered once, and the settings speak the reader's language.

Same setup as test_features.py. Two browser stand-ins: `context.set_offline` (Chromium's
own network emulation: requests fail, `offline`/`online` events fire) and, because
headless Chromium never hides a tab, a page script that reports the tab hidden or visible
(document.hidden, visibilitychange) on the test's word; it also records each desktop
notification the page shows, through the real Notification constructor."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.e2e.helpers import PASSWORD, Api, add_colleague
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
from tests.e2e.test_features import group, in_chat, message, org  # noqa: F401

TAB_AND_NOTIFICATIONS = """
(() => {
  let hidden = false
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => hidden })
  Object.defineProperty(Document.prototype, 'visibilityState', {
    configurable: true, get: () => (hidden ? 'hidden' : 'visible'),
  })
  window.__setHidden = (h) => { hidden = h; document.dispatchEvent(new Event('visibilitychange')) }
  window.__notes = []
  const Real = window.Notification
  if (Real) {
    window.Notification = class extends Real {
      constructor(title, options) { super(title, options); window.__notes.push(title) }
    }
  }
})()
"""


@pytest.fixture(scope="module")
def lisi(org) -> Api:  # type: ignore[no-untyped-def]  # noqa: F811
    return add_colleague(org["admin"], "lisi", "李四")


def test_mention_is_written_and_read_as_the_display_name(browser, base_url: str, org, lisi) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    admin = org["admin"]
    cid = group(admin, "周会", lisi)
    ctx_a, a = in_chat(browser, base_url, "alice", "周会", locale="zh-CN")
    ctx_l, li = in_chat(browser, base_url, "lisi", "周会", locale="zh-CN")

    box = a.get_by_test_id("composer-input")
    box.fill("请 ")
    box.type("@li")
    expect(a.get_by_test_id("mention-list")).to_contain_text("李四")
    box.press("Enter")
    expect(box).to_have_value("请 @李四 ")
    box.type("看一下")
    box.press("Enter")
    expect(sent(a, "看一下")).to_be_visible()
    expect(message(a, "看一下").locator(".mention")).to_have_text("@李四")
    mention = message(li, "看一下").locator(".mention-me")
    expect(mention).to_have_text("@李四")
    shot(li, "30-mention-display-name")

    # Stored as the username plus the user id, as the API and other clients expect.
    stored = admin.http.get(f"/conversations/{cid}/messages").json()["items"][-1]
    assert stored["text"] == "请 @lisi 看一下"
    assert stored["mentions"] == [lisi.me["id"]]
    ctx_a.close()
    ctx_l.close()
    assert PAGE_ERRORS == []


def test_message_written_offline_is_sent_after_reconnect(browser, base_url: str, org) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    admin, bob = org["admin"], org["bob"]
    direct = admin.post("/conversations", {"type": "direct", "user_id": bob.me["id"]})
    cid = direct["conversation"]["id"]
    admin.send(cid, "在吗")
    ctx_a, a = in_chat(browser, base_url, "alice", "Bob Li", locale="zh-CN")
    ctx_b, b = in_chat(browser, base_url, "bob", "Alice Wang", locale="zh-CN")
    subtitle = a.get_by_test_id("pane-subtitle")
    expect(subtitle).to_contain_text("在线")

    # ---- The network goes: the banner says so, Bob's presence is no longer known.
    ctx_a.set_offline(True)
    banner = a.get_by_test_id("connection-banner")
    expect(banner).to_have_attribute("data-state", "lost")
    expect(banner).to_contain_text("网络连接已断开")
    expect(subtitle).to_contain_text("状态未知")

    # ---- Two messages written offline wait, in order, and say so.
    send(a, "离线写的第一条")
    send(a, "离线写的第二条")
    first = a.locator("[data-test=message][data-status=queued]", has_text="离线写的第一条")
    expect(first.get_by_test_id("queued")).to_be_visible()
    expect(a.locator("[data-test=message][data-status=queued]")).to_have_count(2)
    expect(a.get_by_test_id("queued-count")).to_contain_text("2 条消息将在恢复后自动发送")
    shot(a, "31-offline-queued")

    # ---- The network comes back: both go out by themselves, in order, once each.
    ctx_a.set_offline(False)
    expect(banner).to_have_attribute("data-state", "restored")
    expect(banner).to_contain_text("已重新连接")
    expect(message(b, "离线写的第二条")).to_be_visible()
    delivered = a.locator("[data-test=message][data-status=sent]", has_text="离线写的第二条")
    expect(delivered).to_be_visible()
    expect(a.locator("[data-test=message][data-status=queued]")).to_have_count(0)
    expect(subtitle).to_contain_text("在线")
    texts = [m["text"] for m in admin.http.get(f"/conversations/{cid}/messages").json()["items"]]
    assert texts[-3:] == ["在吗", "离线写的第一条", "离线写的第二条"]
    bodies = b.locator("[data-test=message] [data-test=message-body]").all_inner_texts()
    assert [t for t in bodies if "离线写的" in t] == ["离线写的第一条", "离线写的第二条"]
    ctx_a.close()
    ctx_b.close()
    assert PAGE_ERRORS == []


def _signed_in_with_tab_control(browser, base_url: str, name: str):  # type: ignore[no-untyped-def]  # noqa: F811
    ctx, page = new_page(browser, base_url, locale="zh-CN")
    ctx.grant_permissions(["notifications"])
    ctx.add_init_script(TAB_AND_NOTIFICATIONS)
    login(page, name, PASSWORD)
    connected(page)
    return ctx, page


def connected(page) -> None:  # type: ignore[no-untyped-def]
    """Wait for the socket: messages that come before it come by sync, and those never
    notify (they are not news)."""
    from playwright.sync_api import expect

    expect(page.get_by_test_id("connection-banner")).to_have_count(0)


def _arrives_while_hidden(page, sender: Api, cid: str, text: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.evaluate("() => window.__setHidden(true)")
    sender.send(cid, text)
    item = page.locator(f"[data-test=conversation-item][data-conversation-id='{cid}']")
    expect(item).to_contain_text(text)
    expect(page.get_by_test_id("notify-prompt")).to_have_count(0)  # not while away
    page.evaluate("() => window.__setHidden(false)")


def test_notifications_are_offered_once(browser, base_url: str, org, lisi) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    admin = org["admin"]
    cid = group(lisi, "通知测试", admin)

    # ---- Declined: asked once, after the first message that came while away; never again.
    ctx, a = _signed_in_with_tab_control(browser, base_url, "alice")
    _arrives_while_hidden(a, lisi, cid, "第一条")
    prompt = a.get_by_test_id("notify-prompt")
    expect(prompt).to_contain_text("开启桌面通知？")
    shot(a, "32-notification-offer")
    a.get_by_test_id("notify-prompt-dismiss").click()
    expect(prompt).to_have_count(0)
    _arrives_while_hidden(a, lisi, cid, "第二条")
    a.reload()
    a.get_by_test_id("conversation-list").wait_for()
    connected(a)
    _arrives_while_hidden(a, lisi, cid, "第三条")
    expect(prompt).to_have_count(0)
    assert a.evaluate("() => window.__notes.length") == 0
    ctx.close()

    # ---- Accepted (another browser): the next message away shows on the desktop.
    ctx, a = _signed_in_with_tab_control(browser, base_url, "alice")
    _arrives_while_hidden(a, lisi, cid, "第四条")
    prompt = a.get_by_test_id("notify-prompt")
    a.get_by_test_id("notify-prompt-enable").click()
    expect(prompt).to_have_count(0)
    _arrives_while_hidden(a, lisi, cid, "第五条")
    expect(prompt).to_have_count(0)
    assert a.evaluate("() => window.__notes") == ["通知测试 · 李四"]
    a.get_by_test_id("rail-settings").click()
    expect(a.locator(".el-switch.is-checked").first).to_be_visible()
    ctx.close()
    assert PAGE_ERRORS == []


def test_settings_speak_the_readers_language(browser, base_url: str, org) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    # A session signed in from an iPhone's WeChat, listed by name.
    httpx.post(
        f"{base_url}/api/v1/auth/login",
        json={"login": "alice", "password": PASSWORD},
        headers={
            "User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) "
            "AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49"
        },
    ).raise_for_status()
    ctx, a = new_page(browser, base_url, locale="zh-CN")
    login(a, "alice", PASSWORD)
    a.get_by_test_id("rail-settings").click()
    expect(a.locator("h1")).to_have_text("设置")
    expect(a.get_by_test_id("session-device").filter(has_text="微信 · iPhone")).to_be_visible()
    # Every radio group is named in Chinese, not Element Plus's default "radio-group".
    labels = a.locator("[role=radiogroup]").evaluate_all(
        "els => els.map((e) => e.getAttribute('aria-label'))"
    )
    assert labels == ["主题", "发送消息"]
    named = a.locator("[aria-label]").evaluate_all(
        "els => els.map((e) => e.getAttribute('aria-label'))"
    )
    assert not [n for n in named if re.fullmatch(r"[a-z]+(-[a-z]+)+", n)], named
    ctx.close()
    assert PAGE_ERRORS == []
