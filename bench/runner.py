"""Run one scenario end to end: deploy, seed, start the servers, drive the workers, check,
report. Everything it starts it stops; the database is dropped unless --keep."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing as mp
import os
import platform
import queue
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import psutil
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from bench import report, servers
from bench.scenarios import Plan
from bench.seed import seed
from bench.worker import run as worker_run

RESULTS = Path(__file__).parent / "results"


def _total_expected(plan: Plan, specs: list[Any]) -> int:
    if plan.mode != "live":
        return sum(len(s.clients) for s in specs)
    return int(sum(r * s for r, s in plan.phases))


async def _drive(
    plan: Plan, specs: list[Any], deployment: servers.Deployment, profile: str | None
) -> tuple[list[dict[str, Any]], dict[str, Any], float]:
    ctx = mp.get_context("spawn")
    progress_q, ready_q, results_q = ctx.Queue(), ctx.Queue(), ctx.Queue()
    start_at = ctx.Value("d", 0.0)
    procs = [
        ctx.Process(target=worker_run, args=(s, progress_q, ready_q, start_at, results_q))
        for s in specs
    ]
    extra: dict[str, Any] = {"rss_before_clients_mib": _rss_mib(deployment)}
    for p in procs:
        p.start()
    ready = 0
    connected = 0
    deadline = time.monotonic() + 600
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        TextColumn("{task.fields[info]}"),
    ) as bar:
        conn_task = bar.add_task("connect", total=len(specs), info="")
        while ready < len(specs):
            try:
                _, n = ready_q.get(timeout=0.2)
                ready += 1
                connected += n
                bar.update(conn_task, advance=1, info=f"{connected} clients")
            except queue.Empty:
                if any(p.exitcode not in (None, 0) for p in procs) or time.monotonic() > deadline:
                    raise RuntimeError("a worker died while connecting") from None
        await asyncio.sleep(1.0)  # let the server settle before measuring memory
        extra["rss_connected_mib"] = _rss_mib(deployment)
        extra["clients_connected"] = connected
        usage = servers.Usage()
        usage.begin(deployment.pids)
        spy = start_profile(profile, deployment)
        start_at.value = time.monotonic() + 0.5
        total = _total_expected(plan, specs)
        task = bar.add_task("run", total=total, info="")
        counts = [0, 0, 0]
        results: list[dict[str, Any]] = []
        while len(results) < len(specs):
            with contextlib.suppress(queue.Empty):
                while True:
                    _, *d = progress_q.get_nowait()
                    counts = [a + b for a, b in zip(counts, d, strict=True)]
            with contextlib.suppress(queue.Empty):
                results.append(results_q.get(timeout=0.2))
            done = counts[1] if plan.mode == "live" else counts[2]
            bar.update(
                task,
                completed=done,
                info=f"sent {counts[0]} acked {counts[1]} delivered {counts[2]}",
            )
            if not results and all(p.exitcode is not None for p in procs):
                raise RuntimeError("workers exited without results")
        window = time.monotonic() - start_at.value
        extra["server"] = usage.end()
        stop_profile(spy)
    for p in procs:
        p.join(30)
    for r in results:
        if r.get("error"):
            raise RuntimeError(f"worker {r['index']} failed: {r['error']}")
    return results, extra, window


def _rss_mib(deployment: servers.Deployment) -> float:
    total = 0
    for pid in deployment.pids:
        with contextlib.suppress(psutil.Error):
            total = max(total, psutil.Process(pid).memory_info().rss)
    return round(total / 2**20, 1)


_PROFILE_FORMATS = {".json": "speedscope", ".txt": "raw"}  # raw: collapsed stacks


def start_profile(profile: str | None, deployment: servers.Deployment) -> Any:
    if not profile:
        return None
    spy = Path(os.environ.get("VIRTUAL_ENV", ".venv")) / "bin" / "py-spy"
    return subprocess.Popen(
        [
            str(spy),
            "record",
            "-p",
            str(deployment.pids[0]),
            "-o",
            profile,
            "-f",
            _PROFILE_FORMATS.get(Path(profile).suffix, "flamegraph"),
            "-r",
            "200",
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop_profile(spy: Any) -> None:
    if spy is None:
        return
    spy.send_signal(2)  # SIGINT: py-spy writes the profile and exits
    with contextlib.suppress(subprocess.TimeoutExpired):
        spy.wait(60)


async def run(
    plan: Plan,
    backend: str,
    nodes: int,
    *,
    keep: bool = False,
    profile: str | None = None,
    argon2: str | None = None,
    save: bool = True,
) -> dict[str, Any]:
    servers.raise_nofile()
    deployment = await servers.prepare(backend, nodes, argon2 or plan.argon2)
    try:
        seeded = await seed(deployment.database_url, plan.topology, deployment.nodes[0].env)
        await servers.start(deployment)
        specs = plan.build(seeded, [n.port for n in deployment.nodes])
        t_start, cpu_before = time.monotonic(), _cpu_times()
        results, extra, window = await _drive(plan, specs, deployment, profile)
        steal = _steal_percent(cpu_before, _cpu_times())
        if plan.mode == "live":
            summary = report.summarize_live(plan, seeded, results, window)
        else:
            summary = report.summarize_sync(plan, seeded, results, t_start + 0.5)
        for node in deployment.nodes:
            errors = _server_errors(node.log_path)
            if errors:
                summary.setdefault("server_errors", []).extend(errors)
    finally:
        await servers.teardown(deployment, keep)
    result: dict[str, Any] = {
        "scenario": plan.name,
        "command": " ".join(["python -m bench", *sys.argv[1:]])
        if sys.argv[0].endswith("__main__.py")
        else "",
        "goal": plan.goal,
        "backend": backend,
        "nodes": nodes,
        "argon2": argon2 or plan.argon2,
        "users": plan.topology.users,
        "conversations": len(seeded.conv_ids),
        "seed_seconds": round(seeded.seconds, 1),
        "summary": summary,
        "server": extra.pop("server"),
        "bench_cpu_seconds": sum(r["cpu_seconds"] for r in results),
        "bench_processes": len(results),
        **extra,
        "machine": {**_machine(), "steal_percent": steal},
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if plan.mode == "live" and extra.get("clients_connected"):
        grown = extra["rss_connected_mib"] - extra["rss_before_clients_mib"]
        result["bytes_per_connection"] = int(grown * 2**20 / extra["clients_connected"])
    if save:
        RESULTS.mkdir(exist_ok=True)
        name = f"load_{plan.name}_{backend}_{nodes}n.json"
        (RESULTS / name).write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2))
    return result


def _server_errors(log: Path, keep: int = 5) -> list[str]:
    """Distinct error events of a node's log, each with the last line of its exception
    (structured entries, or plain tracebacks printed outside the logger)."""
    seen: dict[str, int] = {}
    if not log.exists():
        return []
    lines = log.read_text(errors="replace").splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Traceback"):
            key = "traceback: " + _exception_line(lines[i + 1 :])
        elif '"level": "error"' in line:
            try:
                entry = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue
            key = f"{entry.get('event')}: {str(entry.get('exception', '')).splitlines()[-1:]}"
        else:
            continue
        seen[key] = seen.get(key, 0) + 1
    return [f"{n} x {k}" for k, n in list(seen.items())[:keep]]


def _exception_line(after: list[str]) -> str:
    """The `Type: message` line that ends a plain traceback."""
    for line in after:
        if line and not line.startswith((" ", "Traceback", "During handling", "The above")):
            return line[:300]
    return "?"


def _cpu_times() -> tuple[int, int]:
    """(stolen, total) CPU time of all cores since boot from /proc/stat, in ticks. Steal is
    time the hypervisor gave this virtual machine's cores to someone else: on a shared
    host it moves latency figures between runs of the same code."""
    try:
        first = Path("/proc/stat").read_text().split("\n", 1)[0].split()
        ticks = [int(x) for x in first[1:9]]  # user nice system idle iowait irq softirq steal
    except (OSError, ValueError):
        return 0, 0
    return (ticks[7] if len(ticks) == 8 else 0), sum(ticks)


def _steal_percent(before: tuple[int, int], after: tuple[int, int]) -> float | None:
    total = after[1] - before[1]
    return round(100 * (after[0] - before[0]) / total, 1) if total > 0 else None


def _machine() -> dict[str, Any]:
    load = os.getloadavg()
    return {
        "cores": os.cpu_count(),
        "cpu": platform.processor() or _cpu_model(),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "loadavg_at_end": [round(x, 2) for x in load],
    }


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return ""
