"""Login throttling: counted before the password is checked, on every node, and aimed at
the source of the failures rather than at the account's owner."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
import pytest
import structlog

from parley.config import Settings
from tests.conftest import free_port, run_server
from tests.helpers import PASSWORD, Server, create_user, problem, setup_admin
from tests.users.logins import (
    client_from,
    end_login_waits,
    expire_login_counters,
    freeze_login_clock,
    login_counters,
    parallel_logins,
    try_login,
)

LOCK_AFTER = 4


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {
        "login_slow_after": 2,
        "login_lock_after": LOCK_AFTER,
        "login_lock_seconds": 600,
        "login_source_limit": 8,
        "login_account_ceiling": 12,
        # This file is about the throttle, not the hashing pool.
        "hash_queue": 200,
        "hash_per_source": 200,
    }


def assert_few_passwords_checked(answers: list[httpx.Response]) -> None:
    """Each 401 is a password checked: at least one, no more than the lock allows; the
    rest were refused unchecked (429)."""
    statuses = Counter(r.status_code for r in answers)
    assert set(statuses) <= {401, 429}, statuses
    assert 1 <= statuses[401] <= LOCK_AFTER, statuses


async def test_parallel_wrong_logins_check_few_passwords(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sixty wrong passwords at once: each 401 is a password checked; the throttle lets
    through no more than the lock allows, and then refuses even the right password."""
    admin = await setup_admin(server)
    await create_user(admin, "alice")
    freeze_login_clock(monkeypatch)
    async with client_from(server, "127.0.0.2") as attacker:
        answers = await parallel_logins(attacker, [("alice", f"guess-{i:04d}") for i in range(60)])
        assert_few_passwords_checked(answers)
        problem(await try_login(attacker, "alice", PASSWORD), 429, "login_throttled")


@pytest.mark.parametrize("backend", ["postgres"])
async def test_two_nodes_share_the_count(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two servers on one PostgreSQL database: guesses spread over both at once are
    counted once."""
    admin = await setup_admin(server)
    await create_user(admin, "alice")
    freeze_login_clock(monkeypatch)
    settings: Settings = server.app.state.runtime.settings
    second = settings.model_copy(update={"port": free_port(), "node_id": "second-node"})
    guesses = [("alice", f"guess-{i:04d}") for i in range(30)]
    async with (
        run_server(second) as other,
        client_from(server, "127.0.0.2") as a,
        client_from(other, "127.0.0.2") as b,
    ):
        first, then = await asyncio.gather(parallel_logins(a, guesses), parallel_logins(b, guesses))
        assert_few_passwords_checked(first + then)
        problem(await try_login(b, "alice", PASSWORD), 429, "login_throttled")
        problem(await try_login(a, "alice", PASSWORD), 429, "login_throttled")


async def test_owner_signs_in_while_a_guesser_is_locked_out(server: Server) -> None:
    admin = await setup_admin(server)
    await create_user(admin, "alice")
    async with (
        client_from(server, "127.0.0.2") as attacker,
        client_from(server, "127.0.0.3") as owner,
    ):
        for _ in range(LOCK_AFTER + 2):
            await end_login_waits(server)
            await try_login(attacker, "alice", "wrong-password")
        locked_out = await try_login(attacker, "alice", PASSWORD)
        problem(locked_out, 429, "login_throttled")
        assert int(locked_out.headers["retry-after"]) > 500
        # The owner, elsewhere, is not concerned; the guesser still is.
        r = await try_login(owner, "alice", PASSWORD)
        assert r.status_code == 200, r.text
        problem(await try_login(attacker, "alice", PASSWORD), 429, "login_throttled")


async def test_one_address_spraying_many_names_is_refused(server: Server) -> None:
    admin = await setup_admin(server)
    await create_user(admin, "alice")
    async with (
        client_from(server, "127.0.0.4") as sprayer,
        client_from(server, "127.0.0.5") as colleague,
    ):
        for i in range(8):
            problem(await try_login(sprayer, f"name{i}", "Winter2026!"), 401, "invalid_credentials")
        # The address has used its failures: every name is refused there, unchecked.
        problem(await try_login(sprayer, "name99", "Winter2026!"), 429, "login_throttled")
        problem(await try_login(sprayer, "alice", PASSWORD), 429, "login_throttled")
        assert (await try_login(colleague, "alice", PASSWORD)).status_code == 200


async def test_guessing_from_many_addresses_hits_the_ceiling_and_admins_are_told(
    server: Server,
) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    # Three failures from each of four addresses: none of them is locked out, but
    # together they reach the account's ceiling (12).
    with structlog.testing.capture_logs() as logged:
        for n in range(4):
            async with client_from(server, f"127.0.1.{n + 1}") as guesser:
                for _ in range(3):
                    await end_login_waits(server)
                    await try_login(guesser, "alice", "wrong-password")
    async with client_from(server, "127.0.2.1") as owner:
        locked = await try_login(owner, "alice", PASSWORD)
    problem(locked, 423, "account_locked")
    assert int(locked.headers["retry-after"]) > 3000
    warnings = [e for e in logged if e["event"] == "security.login_ceiling"]
    assert [(w["log_level"], w["login"]) for w in warnings] == [("warning", "alice")]
    alerts = (await admin.get("/security/alerts")).json()["items"]
    assert [(a["kind"], a["login"], a["user_id"]) for a in alerts] == [
        ("login_ceiling", "alice", alice.user_id)
    ]
    problem(await bob.get("/security/alerts"), 403, "permission_required")
    problem(await server.client().get("/security/alerts"), 401, "unauthorized")
    # Other accounts are not concerned.
    async with client_from(server, "127.0.2.1") as owner:
        assert (await try_login(owner, "bob", PASSWORD)).status_code == 200
    # An administrator who sets Alice's password lifts the lock: she signs in with it.
    reset = await admin.post(
        f"/users/{alice.user_id}/password",
        json={"new_password": "a-fresh-long-passphrase", "must_change_password": False},
    )
    assert reset.status_code == 200, reset.text
    async with client_from(server, "127.0.2.1") as owner:
        assert (await try_login(owner, "alice", "a-fresh-long-passphrase")).status_code == 200


async def test_counters_that_count_nothing_are_dropped(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Failures leave rows behind; once their windows are over they are pruned (by one
    failure in PRUNE_ONE_IN; here every one), so a spray of names does not grow the
    table for ever. Counters still holding a wait stay."""
    await setup_admin(server)
    monkeypatch.setattr("parley.users.login_guard.PRUNE_ONE_IN", 1)
    async with client_from(server, "127.0.6.1") as old, client_from(server, "127.0.6.2") as new:
        for i in range(3):
            await try_login(old, f"sprayed{i}", "wrong-password")
        await expire_login_counters(server)
        for _ in range(2):
            await try_login(new, "ghost", "wrong-password")
    # Left: the new address's pair (with a wait due), its source and ghost's account.
    assert await login_counters(server) == 3
