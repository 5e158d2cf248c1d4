"""Throw-away Parley servers for a benchmark run: a fresh database (a SQLite file under
/tmp, or a `parley_bench_*` PostgreSQL database dropped afterwards), a Redis database
number nobody uses (chosen like tests/cluster/conftest.py), and one or two `parley serve`
processes on free ports, watched with psutil (CPU time, peak RSS)."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import psutil
import redis.asyncio as aioredis

PG_DSN = os.environ.get("PARLEY_TEST_PG", "postgresql://postgres@127.0.0.1:5432")
REDIS_HOST = os.environ.get("PARLEY_BENCH_REDIS", "redis://127.0.0.1:6379")
PARLEY = [sys.executable, "-c", "from parley.cli import app; app()"]
PR_SET_PDEATHSIG = 1


def raise_nofile() -> int:
    """Lift the soft open-files limit to the hard one (10,000 sockets need it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def die_with_parent() -> None:
    """Runs in a child before exec: take SIGKILL when the parent dies, so nothing lingers
    (PR_SET_PDEATHSIG, Linux only)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _child_setup() -> None:
    """Runs in `parley serve` before exec: more files, and die with the bench."""
    raise_nofile()
    die_with_parent()


def peak_rss(pid: int) -> int:
    """VmHWM: the process's peak resident set, in bytes (Linux)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


@dataclass
class Node:
    """One `parley serve` process (bench and cluster tests); can be killed and started
    again on the same port. Each start logs to its own file in `workdir`."""

    name: str
    port: int
    env: dict[str, str]
    workdir: Path
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    @property
    def node_id(self) -> str:
        return self.env["PARLEY_NODE_ID"]

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/api/v1/ws"

    @property
    def log_path(self) -> Path:
        return self.workdir / f"serve-{self.starts}.log"

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

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
                preexec_fn=_child_setup,
            )

    async def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive:
                raise RuntimeError(f"node {self.name} exited:\n{self.log_tail()}")
            with contextlib.suppress(OSError):
                reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.write(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                data = await reader.read()
                writer.close()
                if b" 200 " in data.split(b"\r\n", 1)[0]:
                    return
            await asyncio.sleep(0.05)
        raise RuntimeError(f"node {self.name} not healthy after {timeout}s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return "(no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM (a graceful shutdown), SIGKILL after 10 s."""
        if not self.alive:
            return
        assert self.proc is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL the node's process group: no graceful shutdown, like a crashed machine."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)


@dataclass
class Usage:
    """CPU seconds and peak RSS of the server processes over a measured window."""

    cpu_start: dict[int, float] = field(default_factory=dict)
    wall_start: float = 0.0

    def begin(self, pids: list[int]) -> None:
        self.wall_start = time.monotonic()
        self.cpu_start = {pid: _cpu(pid) for pid in pids}

    def end(self) -> dict[str, object]:
        wall = time.monotonic() - self.wall_start
        cpu = {pid: _cpu(pid) - start for pid, start in self.cpu_start.items()}
        return {
            "server_cpu_seconds": round(sum(cpu.values()), 2),
            "server_cpu_percent": round(100 * sum(cpu.values()) / wall, 1) if wall else 0,
            "server_peak_rss_mib": round(max(peak_rss(p) for p in cpu) / 2**20, 1),
            "server_rss_mib": round(max(_rss(p) for p in cpu) / 2**20, 1),
        }


def _cpu(pid: int) -> float:
    try:
        t = psutil.Process(pid).cpu_times()
        return float(t.user + t.system)
    except psutil.Error:
        return 0.0


def _rss(pid: int) -> int:
    try:
        return int(psutil.Process(pid).memory_info().rss)
    except psutil.Error:
        return 0


@dataclass
class Deployment:
    backend: str
    nodes: list[Node]
    database_url: str
    redis_url: str
    root: Path
    pg_database: str | None = None

    @property
    def pids(self) -> list[int]:
        return [n.pid for n in self.nodes]


def node_env(
    database_url: str, broker_url: str, node_id: str, workdir: Path, argon2: str = "fast"
) -> dict[str, str]:
    """The environment of one `parley serve`: only these PARLEY_* settings, no config
    file, its own data directory, cheap password hashing unless `argon2` is "real"."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
    env.update(
        PARLEY_CONFIG=str(workdir / "absent.toml"),
        PARLEY_DATABASE_URL=database_url,
        PARLEY_BROKER_URL=broker_url,
        PARLEY_NODE_ID=node_id,
        PARLEY_DATA_DIR=str(workdir / "data"),
        PARLEY_LOG_LEVEL="warning",
        PARLEY_WEB_DIST=str(workdir / "no-web"),
        _TYPER_STANDARD_TRACEBACK="1",  # plain tracebacks in the logs, not rich panels
    )
    if argon2 == "fast":
        env.update(PARLEY_ARGON2_TIME_COST="1", PARLEY_ARGON2_MEMORY_KIB="1024")
    return env


async def admin_pg(statement: str) -> None:
    conn = await asyncpg.connect(f"{PG_DSN}/postgres")
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


async def pick_redis_db() -> int:
    """A Redis database number nobody uses right now, so keys of concurrent runs never
    meet (pub/sub ignores the number; the broker scopes its channel by it)."""
    numbers = list(range(1, 16))
    random.shuffle(numbers)
    for n in numbers:
        client = aioredis.Redis.from_url(f"{REDIS_HOST}/{n}")
        try:
            if await client.dbsize() == 0:
                return n
        finally:
            await client.aclose()
    return numbers[0]


async def prepare(backend: str, nodes: int, argon2: str) -> Deployment:
    """A fresh, migrated database and the node definitions (not started yet)."""
    run = uuid.uuid4().hex[:8]
    root = Path(tempfile.mkdtemp(prefix=f"parley-bench-{run}-"))
    pg_database = None
    if backend == "sqlite":
        database_url = f"sqlite+aiosqlite:///{root / 'parley.db'}"
        broker = "memory://" if nodes == 1 else ""
        if nodes > 1:
            raise SystemExit("Several nodes need --backend postgres (and Redis).")
    else:
        pg_database = f"parley_bench_{run}"
        await admin_pg(f"CREATE DATABASE {pg_database}")
        database_url = f"postgresql+asyncpg://{PG_DSN.split('://', 1)[1]}/{pg_database}"
        broker = f"{REDIS_HOST}/{await pick_redis_db()}"
    deployment = Deployment(backend, [], database_url, broker, root, pg_database)
    for i in range(nodes):
        workdir = root / f"node{i}"
        (workdir / "data").mkdir(parents=True)
        env = node_env(database_url, broker, f"bench-{run}-{i}", workdir, argon2)
        deployment.nodes.append(Node(f"node{i}", free_port(), env, workdir))
    return deployment


async def start(deployment: Deployment) -> None:
    for node in deployment.nodes:
        node.start()
    await asyncio.gather(*(n.wait_healthy() for n in deployment.nodes))


async def teardown(deployment: Deployment, keep: bool) -> None:
    for node in deployment.nodes:
        node.stop()
    if deployment.redis_url.startswith("redis"):
        with contextlib.suppress(Exception):
            client = aioredis.Redis.from_url(deployment.redis_url)
            keys = [k async for k in client.scan_iter(match="parley:*")]
            if keys:
                await client.delete(*keys)
            await client.aclose()
    if keep:
        print(f"kept: {deployment.root} {deployment.pg_database or ''}")
        return
    if deployment.pg_database:
        await admin_pg(f"DROP DATABASE IF EXISTS {deployment.pg_database} WITH (FORCE)")
    shutil.rmtree(deployment.root, ignore_errors=True)
