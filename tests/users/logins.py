"""Helpers for login tests: clients from other loopback addresses, and the clock."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update

from parley.config import Settings
from parley.core.clock import utcnow
from parley.db.session import write_scope
from parley.users.models import LoginThrottle
from tests.conftest import free_port, run_server
from tests.helpers import Server


@contextlib.asynccontextmanager
async def slow_hash_server(database_url: str, tmp_path: Path, **pool: Any) -> AsyncIterator[Server]:
    """The real argon2 cost (a good fraction of a second per hash on these machines),
    with these settings (a small hashing pool, say)."""
    settings = Settings(database_url=database_url, port=free_port(), data_dir=tmp_path, **pool)
    async with run_server(settings) as server:
        yield server


def client_from(server: Server, address: str) -> httpx.AsyncClient:
    """A client whose connections come from `address` (any of 127.0.0.0/8 on Linux): the
    server sees it as another machine, as it would a real one."""
    transport = httpx.AsyncHTTPTransport(local_address=address)
    return httpx.AsyncClient(base_url=server.base_url + "/api/v1", transport=transport, timeout=60)


async def try_login(http: httpx.AsyncClient, login: str, password: str) -> httpx.Response:
    return await http.post("/auth/login", json={"login": login, "password": password})


async def parallel_logins(
    http: httpx.AsyncClient, attempts: list[tuple[str, str]]
) -> list[httpx.Response]:
    return list(await asyncio.gather(*(try_login(http, n, p) for n, p in attempts)))


async def end_login_waits(server: Server) -> None:
    """Move every login wait into the past, as if the time had passed (counts stay)."""
    rt = server.app.state.runtime
    async with write_scope(rt.db, rt.publish) as session:
        await session.execute(
            update(LoginThrottle).values(allowed_at=utcnow() - timedelta(seconds=1))
        )


def freeze_login_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stop the clock login reads (the server runs in this process), so that no wait
    passes while a burst of attempts is being served, however slow the machine."""
    now = utcnow()
    monkeypatch.setattr("parley.users.service.utcnow", lambda: now)


async def expire_login_counters(server: Server) -> None:
    """Move every counter's window and wait into the past."""
    past = utcnow() - timedelta(seconds=1)
    rt = server.app.state.runtime
    async with write_scope(rt.db, rt.publish) as session:
        await session.execute(update(LoginThrottle).values(allowed_at=past, reset_at=past))


async def login_counters(server: Server) -> int:
    rt = server.app.state.runtime
    async with write_scope(rt.db, rt.publish) as session:
        return int(await session.scalar(select(func.count()).select_from(LoginThrottle)) or 0)
