"""Login flood: what 64 parallel logins for unknown names do to everyone else.

    .venv/bin/python -m bench.login_flood [--flood 64] [--label "after"]

One `parley serve` (SQLite, the real argon2 cost) with an administrator and a member.
Quiet: a valid login and `GET /users/me` timed alone. Flood: 64 logins for unknown
names sent at once, and while they run, one valid login and `/users/me` requests from
another client. Prints one table row (medians, and the flood's answers by status) and
appends it to the "Login flood" section of bench/README.md. Takes well under a minute.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections import Counter
from typing import Any

import httpx

from bench import files_bench
from bench.readme import README, replace_section
from bench.servers import prepare, start, teardown
from parley.config import Settings
from parley.db.migrate import upgrade

PASSWORD = files_bench.PASSWORD
SECTION = "login-flood"


async def _timed(client: httpx.AsyncClient, method: str, path: str, **kw: Any) -> tuple[int, float]:
    started = time.perf_counter()
    r = await client.request(method, path, **kw)
    return r.status_code, (time.perf_counter() - started) * 1000


async def _login_retrying(client: httpx.AsyncClient, body: dict[str, str]) -> tuple[str, float]:
    """A login that comes back after 503 `overloaded`, as the web client does: the
    statuses it saw, and the time until the last."""
    started, statuses = time.perf_counter(), []
    while True:
        r = await client.post("/auth/login", json=body)
        statuses.append(str(r.status_code))
        if r.status_code != 503:
            return ",".join(statuses), (time.perf_counter() - started) * 1000
        await asyncio.sleep(float(r.headers.get("retry-after", "1")))


async def measure(base: str, flood: int) -> dict[str, Any]:
    admin = await asyncio.to_thread(files_bench.login, base)  # first-run setup
    me = {"Authorization": admin.headers["Authorization"]}
    admin.close()
    async with httpx.AsyncClient(base_url=f"{base}/api/v1", timeout=120) as http:
        valid = {"login": "admin", "password": PASSWORD}
        quiet_login = [(await _timed(http, "POST", "/auth/login", json=valid))[1] for _ in range(3)]
        quiet_me = [(await _timed(http, "GET", "/users/me", headers=me))[1] for _ in range(20)]

    # The flood comes from another address (127.0.0.2) and over its own connections.
    limits = httpx.Limits(max_connections=flood)
    async with (
        httpx.AsyncClient(
            base_url=f"{base}/api/v1",
            timeout=120,
            limits=limits,
            transport=httpx.AsyncHTTPTransport(local_address="127.0.0.2"),
        ) as attacker,
        httpx.AsyncClient(base_url=f"{base}/api/v1", timeout=120) as user,
    ):
        bad = [{"login": f"nobody{i}", "password": "wrong-password-1"} for i in range(flood)]
        storm = asyncio.gather(*(attacker.post("/auth/login", json=b) for b in bad))
        await asyncio.sleep(0.2)
        valid_login = asyncio.ensure_future(_login_retrying(user, valid))
        flood_me = []
        while not storm.done():
            flood_me.append((await _timed(user, "GET", "/users/me", headers=me))[1])
        answers = Counter(r.status_code for r in await storm)
        login_status, login_ms = await valid_login
    return {
        "quiet_login_ms": statistics.median(quiet_login),
        "quiet_me_ms": statistics.median(quiet_me),
        "flood_login_ms": login_ms,
        "flood_login_status": login_status,
        "flood_me_ms": statistics.median(flood_me) if flood_me else None,
        "flood_me_max_ms": max(flood_me) if flood_me else None,
        "flood_answers": dict(sorted(answers.items())),
    }


def _row(label: str, flood: int, m: dict[str, Any]) -> str:
    answers = ", ".join(f"{n}x{s}" for s, n in m["flood_answers"].items())
    me = f"{m['flood_me_ms']:.0f} / {m['flood_me_max_ms']:.0f}" if m["flood_me_ms"] else "-"
    return (
        f"| {label} | {m['quiet_login_ms']:.0f} | {m['quiet_me_ms']:.1f} | {flood} | "
        f"{m['flood_login_ms']:.0f} ({m['flood_login_status']}) | {me} | {answers} |\n"
    )


_HEAD = """## Login flood

`bench/login_flood.py`: one `parley serve` (SQLite, default argon2id cost: 3 passes,
64 MiB, default pool), 2 cores shared with other work. Quiet: medians alone. Flood: N
logins for unknown names at once from another address; while
they run, another client's valid login (ms until it got in, retrying after 503 as the web
client does; the statuses it saw) and its `GET /users/me` requests (median / max ms); the
flood's answers by status.

| code | login ms | /users/me ms | flood | login in flood ms | /users/me in flood ms | answers |
| --- | ---: | ---: | ---: | ---: | ---: | --- |
"""


def _save(row: str) -> None:
    text = README.read_text()
    begin, end = f"<!-- {SECTION}:begin -->", f"<!-- {SECTION}:end -->"
    rows = ""
    if begin in text:
        body = text.split(begin, 1)[1].split(end, 1)[0]
        rows = "".join(
            line + "\n"
            for line in body.splitlines()
            if line.startswith("| ") and not line.startswith(("| code", "| ---"))
        )
    replace_section(SECTION, _HEAD + rows + row)


async def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.login_flood", description=__doc__)
    parser.add_argument("--flood", type=int, default=64)
    parser.add_argument("--label", default="now", help="the table's first column")
    args = parser.parse_args()
    deployment = await prepare("sqlite", 1, "real")
    try:
        await asyncio.to_thread(upgrade, Settings(database_url=deployment.database_url))
        await start(deployment)
        result = await measure(f"http://127.0.0.1:{deployment.nodes[0].port}", args.flood)
    finally:
        await teardown(deployment, keep=False)
    row = _row(args.label, args.flood, result)
    print(result)
    print(row, end="")
    _save(row)


if __name__ == "__main__":
    asyncio.run(main())
