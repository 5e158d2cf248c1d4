"""Every password write hashes (changing one's own checks the current password and makes
the new one; an administrator creating an account or resetting a password makes one). On
SQLite every write of the node goes through one writer: hashing inside the transaction
would hold everyone's sends for as long. The hashes run before it begins."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from tests.helpers import PASSWORD, Api, Server, create_group, create_user, problem, setup_admin
from tests.users.logins import slow_hash_server

NEW = "another-long-passphrase"


async def change_own(admin: Api, alice: Api) -> httpx.Response:
    return await alice.post(
        "/auth/password", json={"current_password": PASSWORD, "new_password": NEW}
    )


async def create_account(admin: Api, alice: Api) -> httpx.Response:
    return await admin.post(
        "/users", json={"username": "carol", "password": NEW, "display_name": "Carol"}
    )


async def reset_theirs(admin: Api, alice: Api) -> httpx.Response:
    return await admin.post(f"/users/{alice.user_id}/password", json={"new_password": NEW})


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize("write", [change_own, create_account, reset_theirs])
async def test_a_password_write_does_not_hold_other_peoples_sends(
    database_url: str, tmp_path: Path, write
) -> None:  # type: ignore[no-untyped-def]
    # Four times the default cost: each hash lasts far longer than a send, on any machine.
    async with slow_hash_server(database_url, tmp_path, argon2_time_cost=12) as server:
        await _write_while_sending(server, write)


async def _write_while_sending(server: Server, write) -> None:  # type: ignore[no-untyped-def]
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    bob = await create_user(admin, "bob")
    cid = await create_group(alice, bob)
    done: list[str] = []

    async def run() -> None:
        r = await write(admin, alice)
        assert r.status_code in (200, 201, 204), r.text
        done.append("password")

    writing = asyncio.create_task(run())
    await asyncio.sleep(0.05)  # the write is under way: hashing, or holding the writer
    await bob.send(cid, "还在吗")
    done.append("send")
    await writing
    assert done == ["send", "password"]
    # The new password took effect: the old one is refused now.
    if write is change_own:
        again = {"current_password": PASSWORD, "new_password": "yet-another-passphrase"}
        problem(await alice.post("/auth/password", json=again), 403, "wrong_password")
