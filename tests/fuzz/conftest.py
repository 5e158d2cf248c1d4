"""A real server for the property-based tests, shared by a module's examples.

Each example is one request or frame, so a server (and a database) per example would
cost more than the examples. The server is `parley serve`, over its own SQLite file or
PostgreSQL database (copied from the migrated template), seeded with what the examples
need ids of: a user with groups, messages (a reply, a reaction, a pin, a favourite) and
a sent file."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, settings

from tests.conftest import FAST_HASH, _drop_pg_database, _pg_database, free_port
from tests.files.samples import png
from tests.helpers import PASSWORD
from tests.services import PG_DSN

API = "/api/v1"


@dataclass
class Live:
    """The running server, signed in as its administrator, and the ids that exist."""

    base_url: str
    token: str = ""
    # Values that exist, by parameter name (path or query), and messages with their
    # conversation, for paths that name both.
    known: dict[str, list[str]] = field(default_factory=dict)
    messages: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ws_url(self) -> str:
        return self.base_url.replace("http://", "ws://") + f"{API}/ws"

    def http(self) -> httpx.Client:
        return httpx.Client(base_url=self.base_url + API, timeout=30)

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def login(self) -> None:
        """A fresh session: an example may have signed the last one out."""
        with self.http() as http:
            r = http.post("/auth/login", json={"login": "admin", "password": PASSWORD})
            r.raise_for_status()
            self.token = r.json()["token"]


def _seed(live: Live) -> None:
    with live.http() as http:
        setup = {"organization_name": "测试公司", "username": "admin", "password": PASSWORD}
        r = http.post("/setup", json={**setup, "display_name": "管理员"})
        r.raise_for_status()
        live.token, admin_id = r.json()["login"]["token"], r.json()["login"]["user"]["id"]
        auth = live.headers()

        def call(method: str, path: str, **kw: Any) -> Any:
            r = http.request(method, path, headers=auth, **kw)
            assert r.status_code < 300, (method, path, r.text)
            return r.json() if r.content else None

        bob = call(
            "POST", "/users", json={"username": "bob", "password": PASSWORD, "display_name": "Bob"}
        )
        spare = http.post("/auth/login", json={"login": "admin", "password": PASSWORD}).json()
        groups = [
            call(
                "POST",
                "/conversations",
                json={"type": "group", "name": f"组{i}", "member_ids": [bob["id"]]},
            )["conversation"]["id"]
            for i in range(3)
        ]
        direct = call("POST", "/conversations", json={"type": "direct", "user_id": bob["id"]})
        file = call("POST", "/files", files={"file": ("图.png", png(), "image/png")})
        for i, cid in enumerate(groups):
            first = {"client_msg_id": uuid.uuid4().hex, "text": f"项目进度 {i} @bob"}
            if i == 0:
                first["attachments"] = [file["id"]]
            mid = call("POST", f"/conversations/{cid}/messages", json=first)["id"]
            reply = {"client_msg_id": uuid.uuid4().hex, "text": "收到", "reply_to": mid}
            rid = call("POST", f"/conversations/{cid}/messages", json=reply)["id"]
            live.messages += [(cid, mid), (cid, rid)]
        cid, mid = live.messages[0]
        call("PUT", f"/conversations/{cid}/messages/{mid}/reactions/👍")
        call("POST", f"/conversations/{cid}/messages/{mid}/pin")
        call("POST", "/favorites", json={"message_id": mid})
        role = call("POST", "/roles", json={"name": "项目经理", "permissions": ["create_groups"]})
        department = call("POST", "/departments", json={"name": "研发部"})
        soon = (datetime.now(UTC) + timedelta(days=30)).isoformat()
        invitation = call(
            "POST", "/invitations", json={"expires_at": soon, "group_ids": groups[:1]}
        )
    live.known = {
        "conversation_id": [*groups, direct["conversation"]["id"]],
        "message_id": [m for _, m in live.messages],
        "file_id": [file["id"]],
        "user_id": [bob["id"], admin_id],
        "sender_id": [bob["id"], admin_id],
        "user_ids": [bob["id"], admin_id],
        "session_id": [spare["session_id"]],
        "role_id": [role["id"]],
        "department_id": [department["id"]],
        "group_id": groups[1:2],
        "token": [invitation["token"]],
        "invitation_id": [invitation["id"]],
        "emoji": ["👍", "❤️"],
        "q": ["项目", "进度 收到", "bob"],
        "from": ["2020-01-01T00:00:00", "2026-06-01T08:00:00+08:00"],
        "to": ["2100-01-01T00:00:00Z"],
    }


def _database(backend: str, request: pytest.FixtureRequest, tmp: Path) -> str:
    if backend == "sqlite":
        path = tmp / "parley.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite+aiosqlite:///{path}"
    template = request.getfixturevalue("pg_template")
    with ThreadPoolExecutor(1) as pool:
        name = pool.submit(asyncio.run, _pg_database(template)).result()
    return f"postgresql+asyncpg://{PG_DSN.split('://', 1)[1]}/{name}"


def fuzz_settings(examples: int) -> settings:
    """How every fuzz test runs: the same examples on every run (derandomized, no example
    database), and no deadline or health checks, as each example talks to a real server."""
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def live(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Live]:
    """`parley serve` in a process of its own: in this one, Hypothesis raises the recursion
    limit while it runs, which would hide exactly the stack overflows looked for."""
    tmp = tmp_path_factory.mktemp("fuzz")
    url = _database(request.param, request, tmp)
    port = free_port()
    env = {
        **os.environ,
        "PARLEY_DATABASE_URL": url,
        "PARLEY_DATA_DIR": str(tmp),
        "PARLEY_WEB_DIST": str(tmp / "no-client"),
        "PARLEY_LOG_LEVEL": "warning",
        **{f"PARLEY_{k.upper()}": str(v) for k, v in FAST_HASH.items()},
    }
    log = (tmp / "server.log").open("wb")
    command = [
        str(Path(sys.executable).with_name("parley")),
        "serve",
        "--no-migrate",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    live = Live(f"http://127.0.0.1:{port}")
    try:
        _wait_until_up(live, process)
        _seed(live)
        yield live
    finally:
        process.terminate()
        process.wait(15)
        log.close()
        if request.param == "postgres":
            with ThreadPoolExecutor(1) as pool:
                pool.submit(asyncio.run, _drop_pg_database(url.rsplit("/", 1)[1])).result()


def _wait_until_up(live: Live, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    with live.http() as http:
        while time.monotonic() < deadline:
            assert process.poll() is None, "parley serve exited"
            try:
                if http.get("/health").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
    raise AssertionError("parley serve did not start")
