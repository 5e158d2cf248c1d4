"""`python -m bench.table`: rewrite the figures table of bench/README.md (between the
`load-table` markers, inside the load section) from bench/results/load_*.json."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import orjson

HERE = Path(__file__).parent
BEGIN, END = "<!-- load-table:begin -->", "<!-- load-table:end -->"
ORDER = ["steady", "max", "fanout", "connections", "storm", "catchup"]
HEAD = (
    "| scenario | backend | throughput | latency p50 / p99 / max | server CPU | "
    "server peak RSS | bytes/conn | loss / dup | load gen CPU | machine | command |\n"
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
)


def _trio(d: dict[str, float]) -> str:
    return f"{d['p50_ms']:g} / {d['p99_ms']:g} / {d['max_ms']:g} ms"


def _live(r: dict[str, Any]) -> tuple[str, str]:
    s = r["summary"]
    name = r["scenario"]
    if name == "max":
        ok = [p for p in s["phases"] if p["ack"]["p99_ms"] <= 100]
        steps = ", ".join(
            f"{p['acked_per_s']:g}/s p99 {p['ack']['p99_ms']:g} ms" for p in s["phases"]
        )
        if not ok:
            return (f"**no step** kept p99 ack <= 100 ms (steps: {steps})", "see steps")
        best = max(ok, key=lambda p: p["acked_per_s"])
        return (
            f"**{best['acked_per_s']:g} acked msgs/s** with p99 ack <= 100 ms (steps: {steps})",
            "ack " + _trio(best["ack"]),
        )
    if name in ("fanout", "connections"):
        p = s["phases"][-1]
        return (
            f"{s['deliveries']} deliveries to {s['connected']} sockets; "
            f"{p['deliveries_per_s']:g}/s avg, {s['deliveries_per_s_over_span']} over the burst",
            "send->last delivery " + _trio(s["send_to_last_delivery"]),
        )
    p = s["phases"][0]
    sustained = s["acked"] / s["window_seconds"]
    return (
        f"{p['offered_per_s']:g} msgs/s offered; **{sustained:.0f} acked/s** sustained "
        f"({s['acked']} acks / {s['window_seconds']:g} s of run), {s['connected']} sockets, "
        f"{s['errors']} send errors",
        "delivery " + _trio(p["delivery"]) + "; ack " + _trio(p["ack"]),
    )


def _sync(r: dict[str, Any]) -> tuple[str, str]:
    s = r["summary"]
    if r["scenario"] == "catchup":
        return (
            f"{s['events']} missed entries synced in **{s['sync']['max_ms'] / 1000:g} s** "
            f"({s['events'] / s['sync']['max_ms'] * 1000:.0f} entries/s)",
            "login " + _trio(s["login"]),
        )
    return (
        f"{s['clients']} clients, {s['events']} events, all synced in "
        f"**{s['all_synced_seconds']} s** ({s['events_per_s']} events/s); failed {s['failed']}",
        "per client " + _trio(s["per_client_seconds"]) + "; login " + _trio(s["login"]),
    )


def row(r: dict[str, Any]) -> str:
    s = r["summary"]
    throughput, lat = _sync(r) if "all_synced_seconds" in s else _live(r)
    srv = r["server"]
    cmd = r.get("command", "")
    nodes = f", {r['nodes']} nodes" if r["nodes"] > 1 else ""
    return (
        f"| {r['scenario']} | {r['backend']}{nodes} | {throughput} | {lat} | "
        f"{srv['server_cpu_seconds']} s ({srv['server_cpu_percent']}% of a core) | "
        f"{srv['server_peak_rss_mib']} MiB | {r.get('bytes_per_connection', '')} | "
        f"{s['lost']} / {s['duplicated']} | {r['bench_cpu_seconds']:.1f} s | "
        f"{_machine(r['machine'])} | `{cmd}` |"
    )


def _machine(machine: dict[str, Any]) -> str:
    """The CPU model (the virtual machine is not always placed on the same kind of host),
    the 5-minute load average at the end, and the CPU stolen by the host during the run
    where it was recorded."""
    steal = machine.get("steal_percent")
    out = f"{machine['cpu']}; load {machine['loadavg_at_end'][1]}"
    return f"{out}; steal {steal}%" if steal is not None else out


def render() -> str:
    results = [orjson.loads(p.read_bytes()) for p in sorted((HERE / "results").glob("load_*.json"))]
    results.sort(key=lambda r: (ORDER.index(r["scenario"]), r["backend"] != "sqlite", r["nodes"]))
    return HEAD + "\n".join(row(r) for r in results) + "\n"


def main() -> None:
    readme = HERE / "README.md"
    text = readme.read_text()
    block = f"{BEGIN}\n{render()}{END}"
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    readme.write_text(text)
    print(render())


if __name__ == "__main__":
    main()
