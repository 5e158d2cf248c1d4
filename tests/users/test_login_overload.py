"""A login flood cannot take the node: password hashing has a bounded pool and queue."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from parley.config import Settings
from tests.conftest import free_port, run_server
from tests.helpers import Server, create_user, problem, setup_admin
from tests.users.logins import client_from, try_login


@pytest.fixture
async def slow_hash_server(database_url: str, tmp_path: Path) -> AsyncIterator[Server]:
    """The real argon2 cost (each hash takes a good fraction of a second here), one
    hashing thread and room for two more hashes to wait."""
    settings = Settings(
        database_url=database_url,
        port=free_port(),
        data_dir=tmp_path,
        hash_workers=1,
        hash_queue=2,
    )
    async with run_server(settings) as server:
        yield server


async def test_a_login_flood_is_refused_while_others_are_served(
    slow_hash_server: Server,
) -> None:
    server = slow_hash_server
    admin = await setup_admin(server)
    bob = await create_user(admin, "bob")
    async with client_from(server, "127.0.4.1") as flooder:
        flood = [
            asyncio.ensure_future(try_login(flooder, f"nobody{i}", "wrong-password-1"))
            for i in range(30)
        ]
        # The first refusal means the pool and its queue are full: ask now.
        for first in asyncio.as_completed(flood):
            if (await first).status_code == 503:
                break
        me = await bob.get("/users/me")
        answers = await asyncio.gather(*flood)
    assert me.status_code == 200 and me.json()["username"] == "bob"
    statuses = Counter(r.status_code for r in answers)
    assert set(statuses) <= {401, 503} and statuses[503] >= 1, statuses
    refused = next(r for r in answers if r.status_code == 503)
    problem(refused, 503, "overloaded")
    assert int(refused.headers["retry-after"]) >= 1
