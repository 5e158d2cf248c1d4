"""Processes a test starts itself (`parley serve`, coturn): wait until one answers, and
stop it afterwards."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest


def wait_until_up(
    proc: subprocess.Popen[Any], answers: Callable[[], bool], seconds: float, what: str, log: Path
) -> None:
    """Poll `answers` until it holds; fail the test with the process's log if the process
    exits first or `seconds` pass."""
    deadline = time.monotonic() + seconds
    while not answers():
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"{what} did not start:\n" + log.read_text(errors="replace"))
        time.sleep(0.1)


def stop(proc: subprocess.Popen[Any], grace: float) -> None:
    """Ask the process to end; kill it if it is still there after `grace` seconds."""
    proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def parley_env(data: Path, port: int, **settings: str) -> dict[str, str]:
    """The environment of a `parley serve` of a test: only these PARLEY_* settings (no
    config file), SQLite in `data`, cheap password hashing."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
    env.update(
        PARLEY_CONFIG=str(data / "absent.toml"),
        PARLEY_DATA_DIR=str(data),
        PARLEY_DATABASE_URL=f"sqlite+aiosqlite:///{data / 'parley.db'}",
        PARLEY_HOST="127.0.0.1",
        PARLEY_PORT=str(port),
        PARLEY_ARGON2_TIME_COST="1",
        PARLEY_ARGON2_MEMORY_KIB="1024",
    )
    env.update({f"PARLEY_{k.upper()}": v for k, v in settings.items()})
    return env


@contextlib.contextmanager
def parley_serve(
    env: dict[str, str], log: Path, answers: Callable[[], bool], *args: str
) -> Iterator[subprocess.Popen[Any]]:
    """`parley serve *args` in `env`, output to `log`, up once `answers` holds; stopped after."""
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "parley.cli", "serve", *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(proc, answers, 90, "parley serve", log)
            yield proc
        finally:
            stop(proc, 10)
