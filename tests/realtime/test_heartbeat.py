"""The server's heartbeat: live clients stay, silent ones and expired sessions are closed."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import update

from parley.core.clock import utcnow
from parley.db.session import write_scope
from parley.users.models import AuthSession
from tests.helpers import Server, Ws, create_group, create_user, setup_admin
from tests.realtime.support import CLOSE_AUTH, CLOSE_TIMEOUT, closed, error, received, send_ws


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    # Short enough to keep the tests quick, long enough that a loaded CI machine (server and
    # clients share one event loop here) does not miss a beat.
    return {"ws_heartbeat_seconds": 0.3}


async def _expire(server: Server, session_id: str) -> None:
    """Expire a session behind the server's back, as if its lifetime had run out."""
    rt = server.app.state.runtime
    async with write_scope(rt.db, rt.publish) as session:
        await session.execute(
            update(AuthSession)
            .where(AuthSession.id == UUID(session_id))
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )


async def test_client_answering_pings_stays_connected(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    cid = await create_group(alice)
    ws = await alice.ws()
    assert ws.hello["heartbeat_seconds"] == 0.3
    pings = 0
    while pings < 8:
        frame = await ws.recv()
        if frame["type"] == "ping":
            pings += 1
            await ws.send({"type": "pong", "t": frame["t"]})
    ack = await send_ws(ws, cid, "still connected")
    assert ack["seq"] == 2
    await ws.close()


async def test_silent_client_is_closed_with_4009(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    ws = await alice.ws()
    assert await closed(ws) == CLOSE_TIMEOUT
    assert received(ws, "ping")


async def test_expired_session_closes_open_socket(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    bob = await create_user(admin)
    cid = await create_group(alice, bob)
    a = await alice.ws()
    # Answer pings from now on, like a live client, so only the expiry can close it.
    watching = asyncio.create_task(closed(a, answer_pings=True))
    await _expire(server, a.hello["session_id"])
    assert await watching == CLOSE_AUTH
    assert [f["code"] for f in received(a, "error")] == ["session_expired"]

    # Bob's session is alive and well (a fresh socket: this one never answers pings).
    b = await bob.ws()
    await send_ws(b, cid, "alice timed out")
    await b.send({"type": "ping", "ref": "b"})
    await b.expect("pong", ref="b")
    await b.close()


async def test_expired_session_cannot_open_a_socket(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin)
    ws = await alice.ws()
    await _expire(server, ws.hello["session_id"])
    await ws.close()
    late = await Ws.connect(server.ws_url, None)
    await late.send({"type": "auth", "token": alice.token})
    assert (await error(late))["code"] == "invalid_token"
    assert await closed(late) == CLOSE_AUTH
