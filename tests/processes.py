"""Processes a test starts itself (`parley serve`, coturn): wait until one answers, and
stop it afterwards."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
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
