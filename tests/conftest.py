"""Fixtures: a real Parley server (uvicorn on a free port) over a fresh database.

API tests run twice, on SQLite and on PostgreSQL. Each test gets its own database,
copied from a template migrated once per session."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import uvicorn

from bench.servers import REDIS_HOST, pick_redis_db
from parley.app import create_app
from parley.config import Settings
from parley.db.migrate import upgrade
from tests.helpers import Server
from tests.services import PG_DSN, require_postgres, require_redis

FAST_HASH = {"argon2_time_cost": 1, "argon2_memory_kib": 1024}
# One template per pytest process, so that parallel runs do not trip over each other.
PG_TEMPLATE = f"parley_tpl_{os.getpid()}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "parley.db"
    upgrade(Settings(database_url=f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    require_postgres()

    async def build() -> None:
        conn = await asyncpg.connect(f"{PG_DSN}/postgres")
        try:
            await conn.execute(f"DROP DATABASE IF EXISTS {PG_TEMPLATE}")
            await conn.execute(f"CREATE DATABASE {PG_TEMPLATE}")
        finally:
            await conn.close()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, build()).result()
    upgrade(
        Settings(database_url=f"postgresql+asyncpg://{PG_DSN.split('://', 1)[1]}/{PG_TEMPLATE}")
    )
    yield PG_TEMPLATE
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _drop_pg_database(PG_TEMPLATE)).result()


async def _pg_database(template: str) -> str:
    name = f"parley_t_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(f"{PG_DSN}/postgres")
    try:
        await conn.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    finally:
        await conn.close()
    return name


async def _drop_pg_database(name: str) -> None:
    conn = await asyncpg.connect(f"{PG_DSN}/postgres")
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        await conn.close()


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def database_url(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[str]:
    if backend == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "parley.db"
        shutil.copy(template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    template = request.getfixturevalue("pg_template")
    name = await _pg_database(template)
    try:
        yield f"postgresql+asyncpg://{PG_DSN.split('://', 1)[1]}/{name}"
    finally:
        await _drop_pg_database(name)


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    """Override in a test module to tune the server (e.g. small queues)."""
    return {}


async def node_settings(
    database_url: str, tmp_path: Path, **overrides: Any
) -> Callable[[str], Settings]:
    """Settings for nodes sharing one database and a fresh Redis database as the broker:
    `make(name)` is node `name` on a free port (for tests with two `run_server`s)."""
    require_redis()
    broker = f"{REDIS_HOST}/{await pick_redis_db()}"

    def make(name: str) -> Settings:
        return Settings(
            database_url=database_url,
            broker_url=broker,
            port=free_port(),
            data_dir=tmp_path / name,
            node_id=name,
            **FAST_HASH,
            **overrides,
        )

    return make


@contextlib.asynccontextmanager
async def run_server(settings: Settings) -> AsyncIterator[Server]:
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=settings.port,
        log_level="warning",
        ws_max_size=settings.ws_max_frame_bytes * 4,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield Server(f"http://127.0.0.1:{settings.port}", app)
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)


@pytest.fixture
async def server(
    database_url: str, settings_overrides: dict[str, Any], tmp_path: Path
) -> AsyncIterator[Server]:
    settings = Settings(
        database_url=database_url,
        port=free_port(),
        data_dir=tmp_path,
        **FAST_HASH,
        **settings_overrides,
    )
    async with run_server(settings) as srv:
        yield srv
