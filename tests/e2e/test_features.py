"""Messaging features in a real browser: edit, recall, reactions, merged forward, Chinese
search with a jump into context, branding, and a 10,000-message virtualised list.

Same setup as test_chat.py (a real server serving web/dist, Debian's Chromium through
Playwright). People and groups are made over the HTTP API so each test starts from what it
is about; everything asserted is what a person sees in the browser. Waits are on visible
state, never on sleeps."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.helpers import PASSWORD, Api, add_colleague, set_up
from tests.e2e.test_chat import (  # noqa: F401  (fixtures)
    PAGE_ERRORS,
    base_url,
    browser,
    login,
    new_page,
    send,
    sent,
    shot,
)


@pytest.fixture(scope="module")
def org(base_url: str) -> Iterator[dict]:  # type: ignore[type-arg]  # noqa: F811
    """The organisation, its admin Alice, and colleagues Bob and Carol."""
    admin = set_up(base_url)
    bob = add_colleague(admin, "bob", "Bob Li")
    add_colleague(admin, "carol", "Carol 陈")
    yield {"admin": admin, "bob": bob}


def group(api: Api, name: str, *members: Api) -> str:
    ids = [m.me["id"] for m in members]
    return api.post("/conversations", {"type": "group", "name": name, "member_ids": ids})[
        "conversation"
    ]["id"]


def open_chat(page, name: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    title = page.get_by_test_id("conversation-title").get_by_text(name, exact=True)
    page.locator("[data-test=conversation-item]", has=title).click()
    expect(page.get_by_test_id("pane-title")).to_have_text(name)


def in_chat(browser, base_url: str, username: str, chat: str, locale: str = "en-US"):  # type: ignore[no-untyped-def]  # noqa: F811
    """A new browser page where `username` has signed in and opened `chat`."""
    ctx, page = new_page(browser, base_url, locale=locale)
    login(page, username, PASSWORD)
    open_chat(page, chat)
    return ctx, page


def message(page, text: str):  # type: ignore[no-untyped-def]
    return page.locator("[data-test=message]", has_text=text)


def menu(page, msg, command: str) -> None:  # type: ignore[no-untyped-def]
    """Open a message's actions from its hover toolbar and pick `command`."""
    msg.hover()
    msg.get_by_test_id("more").click()
    page.get_by_test_id("message-menu").get_by_test_id(f"menu-{command}").click()


def test_edit_recall_and_reaction_seen_live(browser, base_url: str, org) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    admin, bob = org["admin"], org["bob"]
    group(admin, "Edit room", bob)
    ctx_a, a = in_chat(browser, base_url, "alice", "Edit room")
    ctx_b, b = in_chat(browser, base_url, "bob", "Edit room", locale="zh-CN")

    send(a, "The plan is v1")
    send(a, "Oops, wrong chat")
    expect(sent(a, "Oops, wrong chat")).to_be_visible()
    expect(message(b, "The plan is v1")).to_be_visible()

    # ---- Edit: Alice fixes her message; Bob sees the new text and the marker live.
    menu(a, message(a, "The plan is v1"), "edit")
    box = a.get_by_test_id("edit-input")
    expect(box).to_be_focused()
    box.fill("The plan is v2")
    box.press("Enter")
    edited_b = message(b, "The plan is v2")
    expect(edited_b).to_be_visible()
    expect(edited_b.get_by_test_id("edited-marker")).to_have_text("（已编辑）")
    expect(message(b, "The plan is v1")).to_have_count(0)

    # ---- Reaction: Bob reacts; Alice sees the chip, and who reacted.
    edited_b.hover()
    edited_b.get_by_test_id("react").click()
    b.locator("[data-test=quick-reaction]:visible", has_text="👍").click()
    chip_a = message(a, "The plan is v2").locator("[data-test=reaction-chip][data-emoji='👍']")
    expect(chip_a).to_have_text(re.compile(r"👍\s*1"))
    expect(chip_a).to_have_attribute("aria-label", re.compile("Bob Li"))
    expect(
        edited_b.locator("[data-test=reaction-chip][data-emoji='👍'][aria-pressed=true]")
    ).to_be_visible()
    # Alice adds hers by clicking the chip: both see 2.
    chip_a.click()
    expect(chip_a).to_have_text(re.compile(r"👍\s*2"))
    expect(edited_b.locator("[data-test=reaction-chip]")).to_have_text(re.compile(r"👍\s*2"))

    # ---- Recall: Alice takes one back; Bob sees "Alice Wang 撤回了一条消息" instead.
    menu(a, message(a, "Oops, wrong chat"), "recall")
    a.locator(".el-message-box .el-button--primary").click()
    expect(a.get_by_test_id("recalled-message")).to_have_text("You recalled a message")
    expect(b.get_by_test_id("recalled-message")).to_have_text("Alice Wang 撤回了一条消息")
    expect(message(b, "Oops, wrong chat")).to_have_count(0)
    shot(a, "10-edit-react-recall-en")
    shot(b, "11-edit-react-recall-zh")

    # ---- The edit history is there for members.
    menu(b, message(b, "The plan is v2"), "history")
    dialog = b.get_by_test_id("edit-history-dialog")
    expect(dialog).to_contain_text("The plan is v1")
    expect(dialog).to_contain_text("The plan is v2")
    ctx_a.close()
    ctx_b.close()
    assert PAGE_ERRORS == []


def test_forward_merged_card(browser, base_url: str, org) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    admin, bob = org["admin"], org["bob"]
    source = group(admin, "Design review", bob)
    admin.send(source, "Header colour: blue")
    admin.send(source, "Footer: keep it small")
    admin.post("/conversations", {"type": "direct", "user_id": bob.me["id"]})

    ctx_a, a = in_chat(browser, base_url, "alice", "Design review")
    # Pick two messages, forward them merged into one chat-history card to Bob.
    menu(a, message(a, "Header colour: blue"), "select")
    expect(a.get_by_test_id("select-bar")).to_be_visible()
    message(a, "Footer: keep it small").click()
    a.get_by_test_id("forward-selected").click()
    dialog = a.get_by_test_id("forward-dialog")
    dialog.locator("[data-test=forward-target]", has_text="Bob Li").click()
    expect(dialog.get_by_test_id("forward-merged")).to_be_visible()
    dialog.get_by_test_id("forward-send").click()
    expect(dialog).to_be_hidden()
    expect(a.get_by_test_id("select-bar")).to_have_count(0)

    # Bob opens it: a card, and a dialog listing both messages in order.
    ctx_b, b = in_chat(browser, base_url, "bob", "Alice Wang")
    card = b.get_by_test_id("forward-card")
    expect(card).to_contain_text("Design review")
    card.click()
    items = b.get_by_test_id("forward-card-item")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("Header colour: blue")
    expect(items.nth(1)).to_contain_text("Footer: keep it small")
    shot(b, "12-forward-card")
    ctx_a.close()
    ctx_b.close()
    assert PAGE_ERRORS == []


def test_search_in_chinese_jumps_to_the_message(browser, base_url: str, org) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    admin, bob = org["admin"], org["bob"]
    probe = bob.http.get("/search", params={"q": "x"})
    if probe.status_code == 404:
        pytest.skip("the server has no /search endpoint yet")
    cid = group(admin, "项目组", bob)
    target = admin.send(cid, "我们项目的进度怎么样？")
    # Enough later messages that the target is not on the first page the client loads.
    for i in range(80):
        admin.send(cid, f"filler {i}")

    ctx_b, b = new_page(browser, base_url, locale="zh-CN")
    login(b, "bob", PASSWORD)
    b.get_by_test_id("rail-search").click()
    field = b.locator("input[data-test=search-input], [data-test=search-input] input")
    field.fill("项目进度")
    field.press("Enter")
    result = b.locator(f"[data-test=result][data-message-id='{target['id']}']")
    expect(result).to_be_visible()
    marks = result.locator("mark").all_inner_texts()
    assert "项目" in marks and "进度" in marks, marks
    shot(b, "13-search-zh")
    result.click()
    expect(b.get_by_test_id("pane-title")).to_have_text("项目组")
    expect(b).to_have_url(re.compile(f"/c/{cid}/m/{target['id']}$"))
    jumped = b.locator(f"[data-test=message][data-message-id='{target['id']}']")
    expect(jumped).to_be_in_viewport()
    expect(jumped).to_have_class(re.compile("highlighted"))
    shot(b, "14-jump-to-message")

    # A substring across jieba's words (班前 of 下班前), and a file found by its name.
    late = admin.send(cid, "下班前记得提交周报")
    upload = admin.http.post(
        "/files", files={"file": ("项目进度报告.txt", "本周进度".encode(), "text/plain")}
    )
    assert upload.status_code in (200, 201), upload.text
    file_id = upload.json()["id"]
    report = admin.post(
        f"/conversations/{cid}/messages",
        {"client_msg_id": f"e2e-{uuid.uuid4().hex}", "text": "", "attachments": [file_id]},
    )
    b.get_by_test_id("rail-search").click()
    field.fill("班前")
    field.press("Enter")
    substring = b.locator(f"[data-test=result][data-message-id='{late['id']}']")
    expect(substring).to_be_visible()
    assert substring.locator("mark").all_inner_texts() == ["班前"]
    field.fill("报告")
    field.press("Enter")
    found = b.locator(f"[data-test=file-result][data-file-id='{file_id}']")
    expect(found).to_contain_text("项目进度报告.txt")
    assert found.locator("mark").all_inner_texts() == ["报告"]
    shot(b, "14b-search-file-result")
    found.get_by_test_id("file-result-locate").click()
    expect(b).to_have_url(re.compile(f"/c/{cid}/m/{report['id']}$"))
    ctx_b.close()
    assert PAGE_ERRORS == []


def test_branding_colour_themes_the_client(browser, base_url: str, org) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    if httpx.get(f"{base_url}/api/v1/branding").status_code == 404:
        pytest.skip("the server has no /branding endpoint yet")
    ctx_a, a = new_page(browser, base_url)
    login(a, "alice", PASSWORD)
    a.get_by_test_id("rail-settings").click()
    section = a.get_by_test_id("branding-section")
    colour = section.locator("input[data-test=branding-color], [data-test=branding-color] input")
    colour.fill("#0F766E")
    section.get_by_test_id("branding-save").click()

    def primary(page) -> str:  # type: ignore[no-untyped-def]
        return page.evaluate(  # type: ignore[no-any-return]
            "getComputedStyle(document.documentElement).getPropertyValue('--el-color-primary').trim()"
        )

    expect(section.get_by_test_id("branding-save")).not_to_have_class(re.compile("is-loading"))
    a.mouse.move(1, 1)
    a.evaluate("document.activeElement && document.activeElement.blur()")
    expect(section.get_by_test_id("branding-save")).to_have_css(
        "background-color", "rgb(15, 118, 110)"
    )
    assert primary(a) == "#0f766e"
    shot(a, "15-branding-settings")

    # Someone else, before signing in: the sign-in page already wears the brand.
    ctx_b, b = new_page(browser, base_url, locale="zh-CN")
    b.goto("/login")
    expect(b.get_by_test_id("login-submit")).to_have_css("background-color", "rgb(15, 118, 110)")
    expect(b).to_have_title(re.compile("Acme"))
    shot(b, "16-login-branded-zh")
    login(b, "bob", PASSWORD)
    assert primary(b) == "#0f766e"
    # Dark theme keeps the brand colour.
    b.get_by_test_id("rail-settings").click()
    b.get_by_test_id("settings-theme").locator("label", has_text="深色").click()
    expect(b.locator("html")).to_have_class(re.compile("dark"))
    assert primary(b) == "#0f766e"
    b.get_by_test_id("rail-chats").click()
    open_chat(b, "Edit room")
    expect(message(b, "The plan is v2")).to_be_visible()
    shot(b, "17-dark-branded-zh")

    # Put the default back for the other tests.
    org["admin"].http.put("/branding", json={"primary_color": None})
    ctx_a.close()
    ctx_b.close()
    assert PAGE_ERRORS == []


def test_ten_thousand_messages_stay_virtualised(browser, base_url: str, org) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """10,000 loaded messages: the DOM holds only the rows near the viewport, and
    scrolling anywhere shows the right ones."""
    from playwright.sync_api import expect

    admin, bob = org["admin"], org["bob"]
    cid = group(admin, "Big history", bob)
    admin.send(cid, "the real latest message")
    ctx_a, a = in_chat(browser, base_url, "alice", "Big history")
    expect(message(a, "the real latest message")).to_be_visible()
    # Load 10,000 synthetic messages into the client's store (no server round trips).
    a.evaluate(
        """(cid) => {
          const pinia = document.querySelector('#app').__vue_app__.config.globalProperties.$pinia
          const store = pinia._s.get('messages')
          const t = store.get(cid)
          const me = pinia._s.get('auth').me.id
          const base = Date.parse('2026-01-05T08:00:00Z')
          const msgs = []
          for (let i = 0; i < 10000; i++) {
            msgs.push({
              id: `synthetic-${i}`, conversation_id: cid, seq: -10000 + i, kind: 'text',
              sender_id: i % 3 ? me : t.messages[0].sender_id,
              text: i % 7 ? `synthetic message ${i}`
                : `synthetic **long** message ${i} ` + 'lorem ipsum '.repeat(30),
              client_msg_id: null, reply_to: null, mentions: [], mention_all: false, system: null,
              recalled: false, reactions: [], created_at: new Date(base + i * 60000).toISOString(),
            })
          }
          store.set(cid, { ...t, messages: [...msgs, ...t.messages], hasMoreBefore: false })
        }""",
        cid,
    )
    lst = a.get_by_test_id("message-list")
    expect(lst).to_have_attribute("data-rows", re.compile(r"^1\d{4}$"))
    expect(message(a, "the real latest message")).to_be_visible()

    def rendered() -> int:
        return a.locator("[data-test=message]").count()  # type: ignore[no-any-return]

    assert rendered() < 150
    # Jump to the top, then the middle: the right rows appear, the DOM stays small.
    lst.evaluate("el => { el.scrollTop = 0 }")
    expect(message(a, "synthetic message 1").first).to_be_visible()
    assert rendered() < 150
    lst.evaluate("el => { el.scrollTop = el.scrollHeight / 2 }")
    middle = a.locator("[data-test=message]", has_text=re.compile(r"synthetic .*message [45]\d{3}"))
    expect(middle.first).to_be_visible()
    assert rendered() < 150
    # Scrolling by wheel through a stretch keeps the reader's place (no jumps back).
    before = lst.evaluate("el => el.scrollTop")
    for _ in range(10):
        a.mouse.move(700, 400)
        a.mouse.wheel(0, 600)
    after = lst.evaluate(
        """async (el, b) => {
          for (let i = 0; i < 600 && el.scrollTop <= b; i++) {
            await new Promise(requestAnimationFrame)
          }
          return el.scrollTop
        }""",
        before,
    )
    assert after > before
    shot(a, "18-ten-thousand")
    ctx_a.close()
    assert PAGE_ERRORS == []


def test_personal_views_pins_and_conversation_settings(browser, base_url: str, org) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Favourites, the mentions view, pins seen live, and mute / archive from the list,
    in the dark theme and English."""
    from playwright.sync_api import expect

    admin, bob = org["admin"], org["bob"]
    cid = group(admin, "Budget 2027", bob)
    ask = admin.post(
        f"/conversations/{cid}/messages",
        {
            "client_msg_id": f"e2e-{uuid.uuid4().hex}",
            "text": "@bob please check the budget",
            "mentions": [bob.me["id"]],
        },
    )
    ctx_b, b = new_page(browser, base_url)
    ctx_b.add_init_script("localStorage.setItem('parley.settings', '{\"theme\":\"dark\"}')")
    login(b, "bob", PASSWORD)
    expect(b.locator("html")).to_have_class(re.compile("dark"))
    open_chat(b, "Budget 2027")

    # ---- Save it; the Saved view lists it and opens it in context.
    menu(b, message(b, "please check the budget"), "favorite")
    b.get_by_test_id("rail-favorites").click()
    saved = b.locator(f"[data-test=result][data-message-id='{ask['id']}']")
    expect(saved).to_contain_text("please check the budget")
    shot(b, "19-favorites-dark")
    saved.click()
    expect(b).to_have_url(re.compile(f"/c/{cid}/m/{ask['id']}$"))
    expect(b.locator(f"[data-test=message][data-message-id='{ask['id']}']")).to_be_visible()

    # ---- The mentions view lists it too.
    b.get_by_test_id("rail-mentions").click()
    expect(b.locator(f"[data-test=result][data-message-id='{ask['id']}']")).to_be_visible()

    # ---- The admin pins it: Bob's header shows the pin live, the panel lists it.
    b.get_by_test_id("rail-chats").click()
    open_chat(b, "Budget 2027")
    admin.post(f"/conversations/{cid}/messages/{ask['id']}/pin", {})
    b.get_by_test_id("pins-button").click()
    expect(b.get_by_test_id("pin-item")).to_contain_text("please check the budget")
    b.keyboard.press("Escape")

    # ---- Mute from the list's context menu: the bell-off icon, then a grey badge.
    item = b.locator(f"[data-test=conversation-item][data-conversation-id='{cid}']")
    b.get_by_test_id("rail-contacts").click()  # leave the chat, so new messages count
    b.get_by_test_id("rail-chats").click()
    item.click(button="right")
    b.get_by_test_id("conv-menu-muted").click()
    expect(item).to_have_attribute("data-muted", "true")
    expect(item.get_by_test_id("muted-icon")).to_be_visible()
    b.get_by_test_id("rail-contacts").click()
    b.get_by_test_id("rail-chats").click()
    admin.send(cid, "one more thing")
    expect(item.get_by_test_id("unread-badge")).to_have_class(re.compile("grey"))
    shot(b, "20-muted-dark")

    # ---- Archive hides it until asked for (or until something new arrives).
    item.click(button="right")
    b.get_by_test_id("conv-menu-archived").click()
    expect(item).to_have_count(0)
    b.get_by_test_id("toggle-archived").click()
    expect(item).to_be_visible()
    b.get_by_test_id("toggle-archived").click()
    expect(item).to_have_count(0)
    admin.send(cid, "back again")
    expect(item).to_be_visible()
    expect(b.get_by_test_id("toggle-archived")).to_have_count(0)
    ctx_b.close()
    assert PAGE_ERRORS == []
