"""Turning worker results into figures, checking loss and duplicates, and printing a table."""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import Any

from rich.console import Console
from rich.table import Table

from bench.scenarios import Plan
from bench.seed import Seeded


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ms(value: float) -> float:
    return round(value * 1000, 1)


def latency(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": ms(pct(values, 0.5)),
        "p99_ms": ms(pct(values, 0.99)),
        "max_ms": ms(max(values, default=float("nan"))),
    }


def check_live(seeded: Seeded, results: list[dict[str, Any]]) -> dict[str, Any]:
    """Every online member of a conversation got every acked message of the run exactly
    once, in seq order (its own included: every device gets every event)."""
    acked: dict[str, list[int]] = defaultdict(list)
    for r in results:
        for conv, seq, *_ in r["acks"]:
            acked[conv].append(seq)
    expected = {c: sorted(s) for c, s in acked.items()}
    received: dict[int, dict[str, list[int]]] = {}
    for r in results:
        received.update(r.get("received", {}))
    lost = dup = disorder = extra = 0
    for conv, members in zip(seeded.conv_ids, seeded.members, strict=True):
        want = expected.get(conv, [])
        for user in members:
            if user not in received:
                continue  # not connected: counted under `connected`
            got = list(received[user].get(conv, []))
            got_set = set(got)
            lost += sum(1 for s in want if s not in got_set)
            dup += len(got) - len(got_set)
            extra += len(got_set - set(want))
            disorder += sum(1 for a, b in itertools.pairwise(got) if b <= a)
    dup_acks = sum(len(s) - len(set(s)) for s in acked.values())
    return {
        "acked": sum(len(s) for s in acked.values()),
        "lost": lost,
        "duplicated": dup + dup_acks,
        "out_of_order": disorder,
        "unexpected": extra,
    }


def summarize_live(
    plan: Plan, seeded: Seeded, results: list[dict[str, Any]], window: float
) -> dict[str, Any]:
    check = check_live(seeded, results)
    phases = []
    for i, (rate, seconds) in enumerate(plan.phases):
        if rate <= 0:
            continue
        acks = [lat for r in results for (_c, _s, p, lat, _t) in r["acks"] if p == i]
        delivery = [v for r in results for v in r["latency"].get(i, [])]
        phases.append(
            {
                "offered_per_s": round(rate, 1),
                "acked_per_s": round(len(acks) / seconds, 1),
                "ack": latency(acks),
                "delivery": latency(delivery),
                "deliveries": len(delivery),
                "deliveries_per_s": round(len(delivery) / seconds, 1),
            }
        )
    last: dict[tuple[str, int], list[float]] = {}
    for r in results:
        for key, (t_send, t_last) in r["last"].items():
            if key not in last or t_last > last[key][1]:
                last[key] = [t_send, t_last]
    to_last = [t_last - t_send for t_send, t_last in last.values()]
    deliveries = sum(len(v) for r in results for v in r["latency"].values())
    span = max(t for _, t in last.values()) - min(t for t, _ in last.values()) if last else 0.0
    connected = sum(r.get("connected", 0) for r in results)
    bytes_in = sum(r.get("bytes_in", 0) for r in results)
    return {
        **check,
        "connected": connected,
        "clients": len(seeded.tokens),
        "connect_seconds": round(max(r.get("connect_seconds", 0) for r in results), 2),
        "phases": phases,
        "send_to_last_delivery": latency(to_last),
        "deliveries": deliveries,
        "deliveries_per_s_over_span": round(deliveries / span, 1) if span else None,
        "client_bytes_received": bytes_in,
        "errors": sum(r["errors"] for r in results),
        "error_samples": [e for r in results for e in r["error_samples"]][:5],
        "close_codes": _merge_counts(r["closes"] for r in results),
        "window_seconds": round(window, 2),
    }


def _merge_counts(dicts: Any) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for d in dicts:
        for k, v in d.items():
            out[str(k)] += v
    return dict(out)


def summarize_sync(
    plan: Plan, seeded: Seeded, results: list[dict[str, Any]], start: float
) -> dict[str, Any]:
    """Storm / catch-up: each client must get exactly the missed seqs of each listed
    conversation, in order."""
    clients = [c for r in results for c in r.get("clients", [])]
    failed = [f for r in results for f in r.get("failed", [])]
    lost = dup = disorder = 0
    for c in clients:
        for conv, members in zip(seeded.conv_ids, seeded.members, strict=True):
            if c["user"] not in members:
                continue
            first = 1 if plan.name == "storm" else 0
            want = list(range(first + 1, seeded.last_seq[seeded.conv_ids.index(conv)] + 1))
            got = c["got"].get(conv, [])
            lost += len(set(want) - set(got))
            dup += len(got) - len(set(got))
            disorder += sum(1 for a, b in itertools.pairwise(got) if b <= a)
    events = sum(len(v) for c in clients for v in c["got"].values())
    all_done = max((c["end"] for c in clients), default=start) - start
    return {
        "clients": len(clients),
        "failed": len(failed),
        "failure_samples": failed[:5],
        "events": events,
        "lost": lost,
        "duplicated": dup,
        "out_of_order": disorder,
        "all_synced_seconds": round(all_done, 2),
        "per_client_seconds": latency([c["t"] for c in clients]),
        "login": latency([c["login"] for c in clients]),
        "sync": latency([c["sync"] for c in clients]),
        "events_per_s": round(events / all_done, 1) if all_done else None,
    }


def table(result: dict[str, Any]) -> Table:
    t = Table(title=f"{result['scenario']} ({result['backend']}, {result['nodes']} node(s))")
    t.add_column("figure")
    t.add_column("value", justify="right")
    s = result["summary"]
    rows: list[tuple[str, Any]] = []
    for i, p in enumerate(s.get("phases", [])):
        rows += [
            (f"[{i}] offered / acked msgs/s", f"{p['offered_per_s']} / {p['acked_per_s']}"),
            (f"[{i}] ack p50/p99/max ms", _trio(p["ack"])),
            (f"[{i}] delivery p50/p99/max ms", _trio(p["delivery"])),
            (f"[{i}] deliveries/s", p["deliveries_per_s"]),
        ]
    if "send_to_last_delivery" in s:
        rows.append(("send->last delivery p50/p99/max ms", _trio(s["send_to_last_delivery"])))
        rows.append(("deliveries/s (first send..last delivery)", s["deliveries_per_s_over_span"]))
        rows.append(("connected / clients", f"{s['connected']} / {s['clients']}"))
    if "all_synced_seconds" in s:
        rows += [
            ("clients ok / failed", f"{s['clients']} / {s['failed']}"),
            ("all synced after s", s["all_synced_seconds"]),
            ("per client ms p50/p99/max", _trio(s["per_client_seconds"])),
            ("login ms p50/p99/max", _trio(s["login"])),
            ("sync ms p50/p99/max", _trio(s["sync"])),
            ("events / events per s", f"{s['events']} / {s['events_per_s']}"),
        ]
    rows += [
        (
            "lost / duplicated / out of order",
            f"{s['lost']} / {s['duplicated']} / {s['out_of_order']}",
        ),
        (
            "server CPU s (% of one core)",
            f"{result['server']['server_cpu_seconds']} ({result['server']['server_cpu_percent']}%)",
        ),
        ("server peak RSS MiB", result["server"]["server_peak_rss_mib"]),
        ("load generator CPU s", round(result["bench_cpu_seconds"], 1)),
    ]
    if "bytes_per_connection" in result:
        rows.append(("server bytes per connection", result["bytes_per_connection"]))
    for name, value in rows:
        t.add_row(name, str(value))
    return t


def _trio(d: dict[str, float], scale: float = 1) -> str:
    return " / ".join(str(round(d[k] * scale, 1)) for k in ("p50_ms", "p99_ms", "max_ms"))


def print_result(result: dict[str, Any]) -> None:
    Console().print(table(result))
