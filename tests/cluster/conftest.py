"""Fixtures for multi-node tests: real `parley serve` processes sharing PostgreSQL and Redis.

Each test gets a fresh PostgreSQL database (dropped afterwards), a Redis database number
that was empty when chosen, nodes with unique ids, and its own data directories. Node
processes are killed (SIGKILL, whole process group) at teardown whatever happened, and
die with the test process if that is killed first (PR_SET_PDEATHSIG on Linux)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis

from bench.servers import (
    PARLEY,
    REDIS_HOST,
    Node,
    admin_pg,
    free_port,
    node_env,
    pick_redis_db,
)
from tests.services import PG_DSN, require_postgres, require_redis

PG_HOST = PG_DSN.split("://", 1)[1]
BOOT_TIMEOUT = 45.0


@dataclass
class Cluster:
    nodes: list[Node]
    http: httpx.AsyncClient
    database: str
    redis_url: str
    user_ids: list[str] = field(default_factory=list)

    async def call(
        self,
        node: Node,
        method: str,
        path: str,
        token: str | None = None,
        expect: int = 200,
        **kwargs: Any,
    ) -> Any:
        """One HTTP request to `node`, asserting the status; returns the JSON body."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        r = await self.http.request(method, node.api + path, headers=headers, **kwargs)
        assert r.status_code == expect, f"{method} {path} on {node.name}: {r.status_code} {r.text}"
        return r.json()


async def _forget_redis_keys(url: str, patterns: list[str]) -> None:
    client = aioredis.Redis.from_url(url)
    try:
        for pattern in patterns:
            keys = [k async for k in client.scan_iter(match=pattern)]
            if keys:
                await client.delete(*keys)
    finally:
        await client.aclose()


async def _migrate(env: dict[str, str], cwd: Path) -> None:
    proc = await asyncio.create_subprocess_exec(
        *PARLEY,
        "migrate",
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, out.decode(errors="replace")


@pytest.fixture
async def cluster(tmp_path: Path) -> AsyncIterator[Cluster]:
    """Two migrated, healthy nodes `a` and `b` over one fresh database and Redis db."""
    require_postgres()
    require_redis()
    async with running_cluster(tmp_path, f"{REDIS_HOST}/{await pick_redis_db()}") as cluster:
        yield cluster


@contextlib.asynccontextmanager
async def running_cluster(tmp_path: Path, redis_url: str) -> AsyncIterator[Cluster]:
    """Nodes `a` and `b` over a fresh PostgreSQL database and the Redis at `redis_url`."""
    run = uuid.uuid4().hex[:10]
    database = f"parley_cluster_{run}"
    database_url = f"postgresql+asyncpg://{PG_HOST}/{database}"
    await admin_pg(f"CREATE DATABASE {database}")
    cluster = Cluster([], httpx.AsyncClient(timeout=10), database, redis_url)
    try:
        for name in ("a", "b"):
            workdir = tmp_path / f"node-{name}"
            (workdir / "data").mkdir(parents=True)
            node_id = f"test-{run}-{name}"
            env = node_env(database_url, redis_url, node_id, workdir)
            cluster.nodes.append(Node(name, free_port(), env, workdir))
        await _migrate(cluster.nodes[0].env, cluster.nodes[0].workdir)
        for node in cluster.nodes:
            node.start()
        await asyncio.gather(*(node.wait_healthy(BOOT_TIMEOUT) for node in cluster.nodes))
        yield cluster
    finally:
        _teardown_nodes(cluster.nodes)
        await cluster.http.aclose()
        patterns = [f"parley:node:test-{run}-*"]
        patterns += [f"parley:presence:{u}" for u in cluster.user_ids]
        with contextlib.suppress(Exception):
            await _forget_redis_keys(redis_url, patterns)
        await admin_pg(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def _teardown_nodes(nodes: list[Node]) -> None:
    for node in nodes:
        node.kill()
        print(f"--- node {node.name} ({node.node_id}) log tail ---\n{node.log_tail()}")
