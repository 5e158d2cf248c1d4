"""A login flood cannot take the node: password hashing has a bounded pool and queue, and
one address cannot hold all of it."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from pathlib import Path

import httpx

from tests.helpers import PASSWORD, create_user, problem, setup_admin
from tests.users.logins import client_from, slow_hash_server, try_login


def flood(
    clients: list[httpx.AsyncClient], per_client: int
) -> list[asyncio.Future[httpx.Response]]:
    return [
        asyncio.ensure_future(try_login(c, f"nobody{n}-{i}", "wrong-password-1"))
        for n, c in enumerate(clients)
        for i in range(per_client)
    ]


async def first_refusal(attempts: list[asyncio.Future[httpx.Response]]) -> None:
    """Wait for the first 503: from then on the pool is known to be busy."""
    for attempt in asyncio.as_completed(attempts):
        if (await attempt).status_code == 503:
            return


def assert_refused_as_overloaded(answers: list[httpx.Response]) -> None:
    statuses = Counter(r.status_code for r in answers)
    assert set(statuses) <= {401, 503} and statuses[503] >= 1, statuses
    refused = next(r for r in answers if r.status_code == 503)
    problem(refused, 503, "overloaded")
    assert int(refused.headers["retry-after"]) >= 1


async def test_a_login_flood_beyond_the_queue_is_refused_while_others_are_served(
    database_url: str, tmp_path: Path
) -> None:
    async with slow_hash_server(database_url, tmp_path, hash_workers=1, hash_queue=2) as server:
        admin = await setup_admin(server)
        bob = await create_user(admin, "bob")
        async with contextlib.AsyncExitStack() as stack:
            sources = [
                await stack.enter_async_context(client_from(server, f"127.0.4.{n + 1}"))
                for n in range(6)
            ]
            attempts = flood(sources, 5)
            await first_refusal(attempts)
            me = await bob.get("/users/me")
            answers = await asyncio.gather(*attempts)
        assert me.status_code == 200 and me.json()["username"] == "bob"
        assert_refused_as_overloaded(answers)


async def test_one_address_cannot_queue_everyone_else_behind_it(
    database_url: str, tmp_path: Path
) -> None:
    async with slow_hash_server(
        database_url, tmp_path, hash_workers=1, hash_queue=4, hash_per_source=2
    ) as server:
        admin = await setup_admin(server)
        await create_user(admin, "bob")
        async with (
            client_from(server, "127.0.5.1") as flooder,
            client_from(server, "127.0.5.2") as owner,
        ):
            attempts = flood([flooder], 30)
            await first_refusal(attempts)
            mine = await try_login(owner, "bob", PASSWORD)
            answers = await asyncio.gather(*attempts)
        assert mine.status_code == 200, mine.text
        assert_refused_as_overloaded(answers)


async def test_self_registration_takes_a_place_on_the_pool_too(
    database_url: str, tmp_path: Path
) -> None:
    """Sign-up is open to anyone when it is on: a burst of sign-ups from one address is
    held to its share of the pool like logins (503 beyond it), and someone elsewhere
    still signs up."""
    async with slow_hash_server(
        database_url,
        tmp_path,
        self_registration=True,
        hash_workers=1,
        hash_queue=4,
        hash_per_source=2,
    ) as server:
        await setup_admin(server)

        def sign_up(http: httpx.AsyncClient, name: str) -> asyncio.Future[httpx.Response]:
            body = {"username": name, "password": "a-long-enough-password", "display_name": name}
            return asyncio.ensure_future(http.post("/auth/register", json=body))

        async with (
            client_from(server, "127.0.6.1") as flooder,
            client_from(server, "127.0.6.2") as other,
        ):
            burst = [sign_up(flooder, f"burst{i}") for i in range(8)]
            await asyncio.sleep(0)
            mine = await sign_up(other, "newcomer")
            answers = await asyncio.gather(*burst)
        assert mine.status_code == 201, mine.text
        statuses = Counter(r.status_code for r in answers)
        assert set(statuses) <= {201, 503} and statuses[503] >= 1, statuses
        problem(next(r for r in answers if r.status_code == 503), 503, "overloaded")
