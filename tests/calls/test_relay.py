"""Relay-only calls (`PARLEY_CALL_RELAY_ONLY`): Parley tells clients to use TURN relay
candidates only, and two aiortc peers following it talk through a real coturn on
127.0.0.1 (tests/calls/coturn.py) instead of directly."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from aiortc import RTCPeerConnection

from tests.calls.coturn import Coturn, running_coturn
from tests.calls.test_media import media_call
from tests.helpers import Server, create_user, setup_admin


@pytest.fixture(scope="module")
def coturn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Coturn]:
    with running_coturn(tmp_path_factory.mktemp("coturn")) as server:
        yield server


@pytest.fixture
def settings_overrides(coturn: Coturn) -> dict[str, Any]:
    return coturn.parley_settings()


def selected_pairs(pc: RTCPeerConnection) -> list[tuple[Any, Any]]:
    """(local, remote) candidates of the pair ICE nominated on each of the peer's transports
    (aiortc's getStats() does not report candidate pairs)."""
    transports = {t.sender.transport.transport for t in pc.getTransceivers()}
    return [
        (pair.local_candidate, pair.remote_candidate)
        for ice in transports
        for pair in ice._connection._nominated.values()
    ]


async def test_relay_only_is_announced_with_the_ice_servers(server: Server, coturn: Coturn) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    body = (await alice.get("/calls/ice-servers")).json()
    assert body["ice_transport_policy"] == "relay"
    assert [s["urls"] for s in body["ice_servers"]] == [[coturn.url]]


@pytest.mark.parametrize("backend", ["sqlite"])  # media does not touch the database
async def test_relay_only_peers_talk_through_coturn(server: Server, coturn: Coturn) -> None:
    async with media_call(server) as (pa, pb):
        for pc in (pa, pb):
            pairs = selected_pairs(pc)
            assert pairs, "no candidate pair was nominated"
            for local, remote in pairs:
                assert (local.type, local.host) == ("relay", "127.0.0.1")
                assert (remote.type, remote.host) == ("relay", "127.0.0.1")
    # coturn granted both callers relays, with the credentials from Parley's endpoint.
    assert len(coturn.relayed_users()) == 2
