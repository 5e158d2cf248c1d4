"""The command line an operator uses: migrate, create-admin, serve."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import free_port

PARLEY = [sys.executable, "-m", "parley.cli"]


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
    return env | {
        "PARLEY_DATA_DIR": str(data_dir),
        "PARLEY_ARGON2_TIME_COST": "1",
        "PARLEY_ARGON2_MEMORY_KIB": "1024",
        **extra,
    }


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PARLEY, *args], env=env, capture_output=True, text=True, timeout=60)


def test_migrate_create_admin_and_serve(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert _run(["migrate"], env).returncode == 0
    assert _run(["migrate"], env).returncode == 0  # idempotent
    assert (tmp_path / "parley.db").exists()
    args = [
        "create-admin",
        "--username",
        "root",
        "--display-name",
        "运维",
        "--password",
        "a-long-secret",
    ]
    created = _run(args, env)
    assert created.returncode == 0, created.stderr
    again = _run(args, env)
    assert again.returncode == 1 and "already taken" in again.stderr

    port = free_port()
    proc = subprocess.Popen(
        [*PARLEY, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/api/v1/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.1)
        assert "Parley" in httpx.get(base + "/").text
        setup = httpx.get(f"{base}/api/v1/setup").json()
        assert setup == {"needs_setup": False, "organization_name": "Parley"}
        login = httpx.post(
            f"{base}/api/v1/auth/login", json={"login": "root", "password": "a-long-secret"}
        )
        assert login.json()["user"]["role"] == "owner"
        spec = httpx.get(f"{base}/api/v1/openapi.json").json()
        assert "/api/v1/conversations/{conversation_id}/messages" in spec["paths"]
    finally:
        proc.terminate()
        proc.wait(10)
