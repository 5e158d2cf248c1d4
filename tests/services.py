"""Real backing services for tests: PostgreSQL and Redis on 127.0.0.1.

They skip with a reason when absent, except under CI=true, where absence fails."""

from __future__ import annotations

import os
import shutil
import socket

import pytest

PG_DSN = os.environ.get("PARLEY_TEST_PG", "postgresql://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("PARLEY_TEST_REDIS", "redis://127.0.0.1:6379/0")


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require(name: str, host: str, port: int) -> None:
    if not _reachable(host, port):
        missing(f"{name} is not reachable on {host}:{port}")


def missing(message: str) -> None:
    """Skip, or fail under CI=true."""
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI=true: tests needing it must not skip)")
    pytest.skip(message)


def require_postgres() -> None:
    require("PostgreSQL", "127.0.0.1", 5432)


def require_redis() -> None:
    require("Redis", "127.0.0.1", 6379)


def require_redis_server() -> None:
    """The `redis-server` program, for tests that run a Redis of their own."""
    if shutil.which("redis-server") is None:
        missing("redis-server is not installed")
