"""Changing one's password hashes twice (the current one checked, the new one made). On
SQLite every write of the node goes through one writer: hashing inside the transaction
would hold everyone's sends for as long. The hashes run before it begins."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.helpers import PASSWORD, Server, create_group, create_user, problem, setup_admin
from tests.users.logins import slow_hash_server


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_password_change_does_not_hold_other_peoples_sends(
    database_url: str, tmp_path: Path
) -> None:
    async with slow_hash_server(database_url, tmp_path) as server:
        await _change_while_sending(server)


async def _change_while_sending(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    cid = await create_group(alice, bob)
    done: list[str] = []

    async def change() -> None:
        body = {"current_password": PASSWORD, "new_password": "another-long-passphrase"}
        r = await alice.post("/auth/password", json=body)
        assert r.status_code == 204, r.text
        done.append("password")

    changing = asyncio.create_task(change())
    await asyncio.sleep(0.05)  # the change is under way: hashing, or holding the writer
    await bob.send(cid, "还在吗")
    done.append("send")
    await changing
    assert done == ["send", "password"]
    # The change took effect, and a second change from the old password is refused.
    again = {"current_password": PASSWORD, "new_password": "yet-another-passphrase"}
    problem(await alice.post("/auth/password", json=again), 403, "wrong_password")
