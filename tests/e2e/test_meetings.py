"""A group call in the web client through a real Janus: Alice (desktop, English) starts it
from the group's header, Bob (a 390 px phone, in Chinese) is rung and joins; each sees
the other's video decode, Bob's raised hand reaches Alice, Alice shares her screen and Bob
sees it large, then she ends the call for everyone and its record is in the chat.

ICE stays inside a network namespace: Janus runs in one (tests/calls/janus_sfu.py), and
so does Chromium (a wrapper runs it with `ip netns exec`); the pages reach Parley, outside,
through a bridge on the namespace's 127.0.0.1, and Janus at its veth address. The browser
never sees the machine's interfaces, only the namespace's."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest

from tests.calls.janus_sfu import Janus, running_janus
from tests.e2e.helpers import PASSWORD
from tests.e2e.test_calls import FAKE_MEDIA
from tests.e2e.test_chat import (  # noqa: F401  (fixtures)
    CHROMIUM,
    PAGE_ERRORS,
    base_url,
    launched,
    login,
    new_page,
    shot,
)
from tests.e2e.test_features import group, open_chat, org  # noqa: F401  (fixture)

# Frames decoded by the <video> of another participant's tile.
REMOTE_DECODED = """() => Math.max(0, ...[...document.querySelectorAll(
  '[data-test=meeting-video]')].filter((v) => !v.muted).map(
  (v) => v.getVideoPlaybackQuality().totalVideoFrames))"""
SCREEN = "--auto-select-desktop-capture-source=Entire screen"


@pytest.fixture(scope="module")
def janus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Janus]:
    with running_janus(tmp_path_factory.mktemp("janus")) as server:
        yield server


@pytest.fixture(scope="module")
def server_env(janus: Janus) -> dict[str, str]:
    return {
        "PARLEY_JANUS_URL": janus.outer_url,
        "PARLEY_JANUS_PUBLIC_URL": janus.inner_url,
        "PARLEY_JANUS_ADMIN_KEY": janus.admin_key,
    }


@pytest.fixture(scope="module")
def netns_browser(
    janus: Janus,
    base_url: str,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[object]:
    work = tmp_path_factory.mktemp("chromium")
    port = int(base_url.rsplit(":", 1)[1])
    wrapper = janus.chromium(work, CHROMIUM)
    with janus.expose(port, work), launched(*FAKE_MEDIA, SCREEN, executable=wrapper) as b:
        yield b


def remote_frames(page, at_least: int, timeout: float = 25) -> int:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        n = int(page.evaluate(REMOTE_DECODED))
        if n >= at_least or time.monotonic() > deadline:
            return n
        page.wait_for_timeout(250)


def test_group_call_through_janus(netns_browser, base_url: str, org) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    admin, bob = org["admin"], org["bob"]
    group(admin, "Design", bob)
    _ctx_a, a = new_page(netns_browser, base_url)
    login(a, "alice", PASSWORD)
    ctx_b, b = new_page(
        netns_browser, base_url, locale="zh-CN", viewport={"width": 390, "height": 844}
    )
    login(b, "bob", PASSWORD)
    open_chat(a, "Design")
    open_chat(b, "Design")

    a.get_by_test_id("meeting-start").click()
    expect(a.get_by_test_id("meeting-view")).to_be_visible()
    ring = b.get_by_test_id("meeting-ring")
    expect(ring).to_contain_text("发起了群通话")
    shot(b, "meetings-01-ring-390")
    b.get_by_test_id("meeting-ring-join").click()
    for page in (a, b):
        expect(page.get_by_test_id("meeting-tile")).to_have_count(2)
        assert remote_frames(page, 10) >= 10, "no video from the other participant"

    b.get_by_test_id("meeting-hand-toggle").click()
    expect(a.get_by_test_id("meeting-hand")).to_have_count(1)
    shot(b, "meetings-02-grid-390")

    a.get_by_test_id("meeting-share").click()
    expect(b.get_by_test_id("meeting-stage")).to_be_visible()
    expect(b.get_by_test_id("meeting-stage")).to_contain_text("正在共享屏幕")
    shot(b, "meetings-03-screen-390")
    shot(a, "meetings-04-desktop")

    a.get_by_test_id("meeting-end").click()
    for page in (a, b):
        expect(page.get_by_test_id("meeting-view")).to_have_count(0)
    record = a.get_by_test_id("system-message").filter(
        has_text=re.compile(r"Video group call · 2 people · \d+:\d\d")
    )
    expect(record).to_be_visible()
    ctx_b.close()
    assert not PAGE_ERRORS, PAGE_ERRORS
