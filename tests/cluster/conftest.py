"""Fixtures for multi-node tests: real `parley serve` processes sharing PostgreSQL and Redis.

Each test gets a fresh PostgreSQL database (dropped afterwards), a Redis database number
that was empty when chosen, nodes with unique ids, and its own data directories. Node
processes are killed (SIGKILL, whole process group) at teardown whatever happened, and
die with the test process if that is killed first (PR_SET_PDEATHSIG on Linux)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis

from bench.servers import REDIS_HOST, admin_pg, die_with_parent, free_port, pick_redis_db
from tests.services import PG_DSN, require_postgres, require_redis

PG_HOST = PG_DSN.split("://", 1)[1]
BOOT_TIMEOUT = 45.0
# `parley serve` without relying on where the venv put its console scripts.
PARLEY = [sys.executable, "-c", "from parley.cli import app; app()"]


@dataclass
class Node:
    """One `parley serve` process; can be killed and started again on the same port."""

    name: str
    node_id: str
    port: int
    env: dict[str, str]
    workdir: Path
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api(self) -> str:
        return f"{self.base_url}/api/v1"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/api/v1/ws"

    @property
    def log_path(self) -> Path:
        return self.workdir / f"serve-{self.starts}.log"

    def start(self) -> None:
        self.starts += 1
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                [*PARLEY, "serve", "--port", str(self.port), "--no-migrate"],
                env=self.env,
                cwd=self.workdir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=die_with_parent if sys.platform == "linux" else None,
            )

    async def wait_healthy(self, http: httpx.AsyncClient, timeout: float = BOOT_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                pytest.fail(f"node {self.name} exited ({self.proc.returncode}):\n{self.log_tail()}")
            with contextlib.suppress(httpx.TransportError):
                r = await http.get(f"{self.api}/health", timeout=2)
                if r.status_code == 200 and r.json()["status"] == "ok":
                    return
            await asyncio.sleep(0.05)
        pytest.fail(f"node {self.name} not healthy after {timeout}s:\n{self.log_tail()}")

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL the node's process group: no graceful shutdown, like a crashed machine."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return "(no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


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


def _node_env(database_url: str, redis_url: str, node_id: str, workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
    env.update(
        PARLEY_CONFIG=str(workdir / "absent.toml"),
        PARLEY_DATABASE_URL=database_url,
        PARLEY_BROKER_URL=redis_url,
        PARLEY_NODE_ID=node_id,
        PARLEY_DATA_DIR=str(workdir / "data"),
        PARLEY_ARGON2_TIME_COST="1",
        PARLEY_ARGON2_MEMORY_KIB="1024",
        PARLEY_LOG_LEVEL="warning",
        _TYPER_STANDARD_TRACEBACK="1",  # plain tracebacks in the logs, not rich panels
    )
    return env


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
    run = uuid.uuid4().hex[:10]
    database = f"parley_cluster_{run}"
    redis_url = f"{REDIS_HOST}/{await pick_redis_db()}"
    database_url = f"postgresql+asyncpg://{PG_HOST}/{database}"
    await admin_pg(f"CREATE DATABASE {database}")
    cluster = Cluster([], httpx.AsyncClient(timeout=10), database, redis_url)
    try:
        for name in ("a", "b"):
            workdir = tmp_path / f"node-{name}"
            (workdir / "data").mkdir(parents=True)
            node_id = f"test-{run}-{name}"
            env = _node_env(database_url, redis_url, node_id, workdir)
            cluster.nodes.append(Node(name, node_id, free_port(), env, workdir))
        await _migrate(cluster.nodes[0].env, cluster.nodes[0].workdir)
        for node in cluster.nodes:
            node.start()
        await asyncio.gather(*(node.wait_healthy(cluster.http) for node in cluster.nodes))
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
