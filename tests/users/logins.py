"""Helpers for login tests: clients from other loopback addresses, and the clock."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, update

from parley.core.clock import utcnow
from parley.db.session import write_scope
from parley.users.models import LoginThrottle
from tests.helpers import Server


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
