"""A stranger cannot tell an unknown name, a wrong password and a disabled account apart:
the same answers, in the same order, from the same throttle."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import PASSWORD, Api, Server, create_user, setup_admin
from tests.users.logins import client_from, freeze_login_clock, try_login

CASES = {
    "wrong password": ("alice", "not-her-password"),
    "unknown name": ("nobody-here", "not-her-password"),
    "disabled, right password": ("carol", PASSWORD),
    "disabled, wrong password": ("carol", "not-her-password"),
}


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"login_slow_after": 2, "login_lock_after": 4}


async def _accounts(server: Server) -> Api:
    admin = await setup_admin(server)
    await create_user(admin, "alice")
    carol = await create_user(admin, "carol")
    assert (await admin.post(f"/users/{carol.user_id}/disable")).status_code == 200
    return admin


async def test_every_failure_answers_alike(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three tries of each case from its own address: 401, 401, then 429, with the same
    bodies and Retry-After (the clock is stopped so that the waits are equal). Today's
    unknown name was never throttled, and a disabled account's right password got 403
    `account_disabled`."""
    await _accounts(server)
    freeze_login_clock(monkeypatch)
    seen: dict[str, list[tuple[int, str, str | None]]] = {}
    for n, (case, (name, password)) in enumerate(CASES.items()):
        async with client_from(server, f"127.0.3.{n + 1}") as stranger:
            answers = [await try_login(stranger, name, password) for _ in range(3)]
        for r in answers:
            assert r.headers["content-type"].startswith("application/problem+json")
        seen[case] = [
            (
                r.status_code,
                r.json()["code"] + ": " + r.json()["detail"],
                r.headers.get("retry-after"),
            )
            for r in answers
        ]
    reference = seen["wrong password"]
    assert [s for s, _, _ in reference] == [401, 401, 429]
    for case, answers in seen.items():
        assert answers == reference, case
