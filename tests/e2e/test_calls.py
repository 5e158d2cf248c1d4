"""A 1:1 video call in the web client: two Chromium contexts with fake camera and
microphone; the callee (a 390 px phone, in Chinese) answers, and each side's <video>
decodes the other's frames. Same setup as test_chat.py.

The media stays on the loopback: Parley runs relay-only (PARLEY_CALL_RELAY_ONLY) with a
real coturn on 127.0.0.1 as its TURN server (tests/calls/coturn.py), so each browser
gathers only a relay candidate and sends only to coturn; a guard in the pages refuses any
RTCPeerConnection that is not relay-only before it could gather a host candidate. The
test then checks, with getStats and coturn's log, that the media went through coturn."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.calls.coturn import Coturn, running_coturn
from tests.e2e.helpers import PASSWORD
from tests.e2e.test_chat import (  # noqa: F401  (fixtures)
    PAGE_ERRORS,
    base_url,
    launched,
    login,
    new_page,
    shot,
)
from tests.e2e.test_features import open_chat, org  # noqa: F401  (fixture)

FAKE_MEDIA = (
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--autoplay-policy=no-user-gesture-required",
)
DECODED = """() => {
  const v = document.querySelector('[data-test=remote-video]')
  return v ? v.getVideoPlaybackQuality().totalVideoFrames : 0
}"""


# Runs before the client's scripts: keeps the page's connections for the test to read, and
# refuses one that could use a non-relay path (it would gather host candidates on the
# machine's outer interfaces).
RELAY_GUARD = """(() => {
  const Native = window.RTCPeerConnection
  window.__testPeerConnections = []
  window.RTCPeerConnection = class extends Native {
    constructor(config) {
      if (!config || config.iceTransportPolicy !== 'relay') {
        throw new Error('test guard: RTCPeerConnection without iceTransportPolicy relay')
      }
      super(config)
      window.__testPeerConnections.push(this)
    }
  }
})()"""
# The selected candidate pair of the page's (last) peer connection, from getStats().
SELECTED_PAIR = """async () => {
  const pcs = window.__testPeerConnections
  const pc = pcs[pcs.length - 1]
  const stats = [...(await pc.getStats()).values()]
  const byId = Object.fromEntries(stats.map((s) => [s.id, s]))
  const transport = stats.find((s) => s.type === 'transport' && s.selectedCandidatePairId)
  const pair = transport && byId[transport.selectedCandidatePairId]
  if (!pair) return null
  const side = (c) => ({ type: c.candidateType, address: c.address })
  return {
    policy: pc.getConfiguration().iceTransportPolicy,
    local: side(byId[pair.localCandidateId]),
    remote: side(byId[pair.remoteCandidateId]),
  }
}"""


@pytest.fixture(scope="module")
def coturn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Coturn]:
    with running_coturn(tmp_path_factory.mktemp("coturn")) as server:
        yield server


@pytest.fixture(scope="module")
def server_env(coturn: Coturn) -> dict[str, str]:
    """Parley relays calls through the test's coturn only (overrides tests/e2e/conftest.py)."""
    return {
        f"PARLEY_{key.upper()}": value if isinstance(value, str) else json.dumps(value)
        for key, value in coturn.parley_settings().items()
    }


@pytest.fixture(scope="module")
def media_browser() -> Iterator[object]:
    with launched(*FAKE_MEDIA) as b:
        yield b


def decoded_frames(page, at_least: int, timeout: float = 20) -> int:  # type: ignore[no-untyped-def]
    """Wait until the remote <video> has decoded this many frames (the CSP forbids
    wait_for_function's string evaluation, so this polls)."""
    deadline = time.monotonic() + timeout
    while True:
        n = int(page.evaluate(DECODED))
        if n >= at_least or time.monotonic() > deadline:
            return n
        page.wait_for_timeout(200)


def selected_pair(page, timeout: float = 10) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The page's selected ICE candidate pair, once there is one."""
    deadline = time.monotonic() + timeout
    while not (pair := page.evaluate(SELECTED_PAIR)) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert pair, "no candidate pair was selected"
    return pair  # type: ignore[no-any-return]


def test_video_call_between_two_browsers(media_browser, base_url: str, org, coturn) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    admin, bob = org["admin"], org["bob"]
    admin.post("/conversations", {"type": "direct", "user_id": bob.me["id"]})
    ctx_a, a = new_page(media_browser, base_url)
    ctx_a.add_init_script(RELAY_GUARD)
    login(a, "alice", PASSWORD)
    ctx_b = media_browser.new_context(
        base_url=base_url, locale="zh-CN", viewport={"width": 390, "height": 844}
    )
    ctx_b.add_init_script(RELAY_GUARD)
    b = ctx_b.new_page()
    b.set_default_timeout(10_000)
    b.on("pageerror", lambda e: PAGE_ERRORS.append(f"{b.url}: {e}"))
    login(b, "bob", PASSWORD)

    open_chat(a, "Bob Li")
    a.get_by_test_id("call-video").click()
    expect(a.get_by_test_id("call-view")).to_have_attribute("data-phase", "outgoing")
    ring = b.get_by_test_id("call-incoming")
    expect(ring).to_contain_text("邀请你视频通话")
    shot(b, "calls-01-incoming-390")
    b.get_by_test_id("call-accept").click()

    for page in (a, b):
        expect(page.get_by_test_id("call-view")).to_have_attribute("data-phase", "active")
        assert decoded_frames(page, 10) >= 10, "the remote video decodes no frames"
        # Through coturn: both ends of the selected path are its relays on 127.0.0.1.
        relayed = {"type": "relay", "address": "127.0.0.1"}
        assert selected_pair(page) == {"policy": "relay", "local": relayed, "remote": relayed}
    assert coturn.relayed_users() == {admin.me["id"], bob.me["id"]}
    expect(b.get_by_test_id("call-status")).to_contain_text("通话中")
    expect(a.get_by_test_id("call-status")).to_contain_text("In call")
    # The network-quality badge, from getStats (its grade depends on the machine's load).
    badge = a.get_by_test_id("call-network")
    expect(badge).to_have_attribute("data-quality", re.compile(r"^(good|fair|poor)$"))
    shot(b, "calls-02-in-call-390")
    # Switching the camera mid-call (the fake device again) keeps the video flowing.
    a.get_by_test_id("call-devices").click()
    cameras = a.get_by_test_id("call-device")
    expect(cameras.first).to_be_visible()
    cameras.last.click()
    seen = decoded_frames(b, 0)
    assert decoded_frames(b, seen + 10) >= seen + 10, "video stopped after switching camera"
    shot(a, "calls-03-in-call-desktop")

    mute = b.get_by_test_id("call-mute")
    mute.click()
    expect(mute).to_have_attribute("aria-pressed", "true")
    b.get_by_test_id("call-hangup").click()
    for page in (a, b):
        expect(page.get_by_test_id("call-view")).to_have_count(0)
    # The call's record in the chat, with its talk time.
    record = a.get_by_test_id("system-message").filter(
        has_text=re.compile(r"Video call · \d+:\d\d")
    )
    expect(record).to_be_visible()
    ctx_a.close()
    ctx_b.close()
    assert not PAGE_ERRORS, PAGE_ERRORS
