"""Ringing reaches the callee's devices on another node (through Redis, as `u:`
publications narrowed to devices). Live calls themselves are held by the node that took
the invite (README design notes), so here the answering device is on that node."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.calls.support import act, direct_chat, ring
from tests.conftest import node_settings, run_server
from tests.helpers import create_user, login, setup_admin


@pytest.mark.parametrize("backend", ["postgres"])  # two nodes share one PostgreSQL
async def test_every_device_rings_and_stops_on_any_node(database_url: str, tmp_path: Path) -> None:
    settings = await node_settings(database_url, tmp_path)
    async with run_server(settings("n1")) as n1, run_server(settings("n2")) as n2:
        admin = await setup_admin(n1)
        alice = await create_user(admin, "alice")
        bob = await create_user(admin, "bob")
        cid = await direct_chat(alice, bob)
        bob_on_n2 = await login(n2, "bob")
        a, b_phone, b_laptop = await alice.ws(), await bob.ws(), await bob_on_n2.ws()
        # Each socket is open on the node its client talks to (hello no longer names it).
        assert (alice.server, bob.server, bob_on_n2.server) == (n1, n1, n2)

        call_id = (await ring(a, cid))["call_id"]
        for ws in (b_phone, b_laptop):
            await ws.expect("call.invite", call_id=call_id)
        await act(b_phone, "call.accept", call_id)
        await a.expect("call.accepted", call_id=call_id)
        ended = await b_laptop.expect("call.ended", call_id=call_id)
        assert ended["reason"] == "answered_elsewhere"
        await act(a, "call.signal", call_id, kind="offer", sdp="v=0")
        await b_phone.expect("call.signal", call_id=call_id)
        await b_laptop.nothing("call.signal")
        await act(a, "call.hangup", call_id)
        await b_phone.expect("call.ended", call_id=call_id)
        # The record is a log entry like any other: it reaches the other node too.
        entry = await b_laptop.expect("message.new", conversation_id=cid)
        assert entry["message"]["system"]["outcome"] == "completed"
        for ws in (a, b_phone, b_laptop):
            await ws.close()
