"""Without a media server, group calls are refused with a clear problem and 1:1 calls
work as before."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from tests.calls.support import direct_chat, ring
from tests.helpers import Server, create_group, create_user, setup_admin
from tests.realtime.support import error


def closed_port() -> int:
    """A port of 127.0.0.1 nothing listens on (a Janus that is down)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    "settings_overrides",
    [{}, {"janus_url": [f"http://127.0.0.1:{closed_port()}/janus"]}],
    ids=["no-janus", "janus-down"],
)
async def test_group_calls_need_a_media_server(
    server: Server, settings_overrides: dict[str, Any]
) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    cid = await create_group(alice, bob)
    a, b = await alice.ws(), await bob.ws()

    r = await alice.get(f"/calls/meetings/{cid}")
    assert r.json() == {"available": bool(settings_overrides), "meeting": None}
    await a.send({"type": "meeting.start", "conversation_id": cid, "ref": "m"})
    refused = await error(a, ref="m")
    assert (refused["code"], refused["status"]) == ("sfu_unavailable", 503)
    await b.nothing("meeting.started", wait=0.1)

    # 1:1 calls do not need it.
    call = await ring(a, await direct_chat(alice, bob))
    await b.expect("call.invite", call_id=call["call_id"])
