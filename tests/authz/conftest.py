"""One server and one world per database for the whole matrix (the world takes a few
seconds to build; every row reads it or acts on its own throwaway objects)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import pytest_asyncio

from parley.config import Settings
from tests.authz.callers import DEFAULT_PERMISSION
from tests.authz.matrix import SPECS
from tests.authz.world import World, build_world
from tests.conftest import (
    FAST_HASH,
    PG_DSN,
    _drop_pg_database,
    _pg_database,
    free_port,
    run_server,
)


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=["sqlite", "postgres"])
async def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    data = tmp_path_factory.mktemp(f"authz-{request.param}")
    name = None
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{data / 'parley.db'}"
        import shutil

        shutil.copy(request.getfixturevalue("sqlite_template"), data / "parley.db")
    else:
        name = await _pg_database(request.getfixturevalue("pg_template"))
        url = f"postgresql+asyncpg://{PG_DSN.split('://', 1)[1]}/{name}"
    # Rows sign in concurrently from one address: let them queue rather than turn away.
    settings = Settings(
        database_url=url,
        port=free_port(),
        data_dir=data,
        **FAST_HASH,
        hash_queue=200,
        hash_per_source=200,
    )
    try:
        async with run_server(settings) as server:
            perms = {spec.perm or DEFAULT_PERMISSION for spec in SPECS}
            world = await build_world(server, perms)
            async with world.http:
                yield world
    finally:
        if name:
            with ThreadPoolExecutor(1) as pool:
                pool.submit(asyncio.run, _drop_pg_database(name)).result()
