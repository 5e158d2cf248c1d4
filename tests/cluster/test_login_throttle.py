"""Two real `parley serve` processes over one PostgreSQL database count failed logins
once: sixty guesses sent to both at the same time check no more passwords than the
lock allows (PARLEY_LOGIN_LOCK_AFTER, default 10)."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest

from tests.cluster.conftest import BOOT_TIMEOUT, Cluster
from tests.cluster.peers import people

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

LOCK_AFTER = 10  # the default
PER_NODE = 30


async def test_guesses_spread_over_two_nodes_share_one_count(cluster: Cluster) -> None:
    a, b = cluster.nodes
    # This test is about the count, not the hashing pool: let every guess in.
    for node in (a, b):
        node.stop()
        node.env.update(PARLEY_HASH_QUEUE="200", PARLEY_HASH_PER_SOURCE="200")
        node.start()
    await asyncio.gather(*(node.wait_healthy(BOOT_TIMEOUT) for node in (a, b)))
    await people(cluster, a, "alice")
    transport = httpx.AsyncHTTPTransport(local_address="127.0.0.2")
    limits = httpx.Limits(max_connections=2 * PER_NODE)
    async with httpx.AsyncClient(transport=transport, limits=limits, timeout=60) as guesser:
        answers = await asyncio.gather(
            *(
                guesser.post(
                    node.api + "/auth/login", json={"login": "alice", "password": f"guess-{i}"}
                )
                for i in range(PER_NODE)
                for node in (a, b)
            )
        )
    statuses = Counter(r.status_code for r in answers)
    assert set(statuses) <= {401, 429}, statuses
    assert 1 <= statuses[401] <= LOCK_AFTER, statuses
