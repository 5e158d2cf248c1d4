"""Server CPU per phase of a login-storm client, one client at a time.

`python -m bench.storm_phases [--clients 200] [--backend sqlite|postgres] [--profile f.txt]`

The storm itself (`python -m bench storm`) is one CPU-bound queue, so it tells how long
2,000 clients take, not what each step of a client costs. This seeds the storm's database
(2,000 users in 20 groups of 100, 50 missed messages in each), then runs its clients one
after another and charges the server process's CPU time (psutil) to each step: password
login, socket + auth + the presence it announces, each sync page, closing. The clients
run twice and the second round is reported, so conversations rendered once (the rendered
log) are served as in a storm, where each is rendered once for 100 members."""

from __future__ import annotations

import argparse
import asyncio
from collections import defaultdict

import psutil
import uvloop

from bench import servers
from bench.runner import start_profile, stop_profile
from bench.scenarios import SCENARIOS, Options
from bench.seed import seed
from bench.wire import HttpClient, WsClient
from bench.worker import WS_PATH, ClientSpec, WorkerSpec, login, sync_all

PRESENCE_HOLD_SECONDS = 0.25  # the hub holds presence changes 0.2 s before writing them


class _Meter:
    """CPU seconds of the server process, charged to named steps."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.spent: dict[str, float] = defaultdict(float)
        self._mark = self._now()

    def _now(self) -> float:
        times = self.process.cpu_times()
        return float(times.user + times.system)

    def start(self) -> None:
        self._mark = self._now()

    def charge(self, step: str) -> None:
        now = self._now()
        self.spent[step] += now - self._mark
        self._mark = now


async def _one_client(spec: WorkerSpec, c: ClientSpec, meter: _Meter) -> None:
    http = await HttpClient.open(spec.host, c.port)
    meter.start()
    token = await login(http, c.username, spec.password)
    meter.charge("login")
    hello: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def on_text(_client: WsClient, _payload: bytes) -> None:
        if not hello.done():
            hello.set_result(None)

    ws = await WsClient.connect(spec.host, c.port, WS_PATH, on_text)
    ws.send({"type": "auth", "token": token})
    await asyncio.wait_for(hello, 10)
    await asyncio.sleep(PRESENCE_HOLD_SECONDS)
    meter.charge("socket")
    await sync_all(
        http, token, dict(c.cursors), spec.sync_limit, lambda n: meter.charge(f"sync page {n}")
    )
    ws.close()
    http.close()
    await asyncio.sleep(0.05)
    meter.charge("close")


async def measure(
    clients: int, backend: str = "sqlite", profile: str | None = None, scale: float = 1.0
) -> dict[str, float]:
    """Milliseconds of server CPU per client for each step (second round)."""
    servers.raise_nofile()
    plan = SCENARIOS["storm"](Options(scale=scale, workers=1))
    deployment = await servers.prepare(backend, 1, "fast")
    try:
        seeded = await seed(deployment.database_url, plan.topology, deployment.nodes[0].env)
        await servers.start(deployment)
        spec = plan.build(seeded, [n.port for n in deployment.nodes])[0]
        chosen = spec.clients[:clients]
        meter = _Meter(deployment.pids[0])
        for c in chosen:  # first round: renders each conversation once
            await _one_client(spec, c, meter)
        meter.spent.clear()
        spy = start_profile(profile, deployment)
        try:
            for c in chosen:
                await _one_client(spec, c, meter)
        finally:
            stop_profile(spy)
    finally:
        await servers.teardown(deployment, False)
    return {step: 1000 * seconds / len(chosen) for step, seconds in meter.spent.items()}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.storm_phases", description=__doc__)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--profile", help="py-spy the server's second round into this file")
    args = parser.parse_args()
    per_client = uvloop.run(measure(args.clients, args.backend, args.profile))
    for step, ms in per_client.items():
        print(f"{step:12} {ms:7.2f} ms of server CPU per client")
    print(f"{'total':12} {sum(per_client.values()):7.2f} ms")


if __name__ == "__main__":
    main()
