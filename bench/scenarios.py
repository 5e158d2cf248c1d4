"""The six scenarios of issue 6: what to seed, what each load-generator process does.

`scale` shrinks every count (users, members, connections) for quick runs and the smoke
tests; 1.0 is the issue's figure."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.seed import PASSWORD, Seeded, Topology
from bench.worker import ClientSpec, WorkerSpec


@dataclass
class Options:
    scale: float = 1.0
    duration: float = 30.0
    workers: int = 2
    rate: float | None = None  # steady: offered msgs/s
    rates: list[float] = field(default_factory=list)  # max: ramp steps
    quiet: float = 2.0  # seconds without frames that end a run
    hold: float = 2.0  # fanout / connections: seconds connected before the first send


@dataclass
class Plan:
    name: str
    topology: Topology
    build: Callable[[Seeded, list[int]], list[WorkerSpec]]
    mode: str = "live"
    argon2: str = "fast"  # the server's hashing cost; the storm uses the real one
    goal: str = ""
    phases: list[tuple[float, float]] = field(default_factory=list)


def _n(value: float, scale: float, minimum: int) -> int:
    return max(minimum, round(value * scale))


def _split(clients: list[ClientSpec], workers: int) -> list[list[ClientSpec]]:
    return [clients[i::workers] for i in range(workers)]


def _live_specs(
    clients: list[ClientSpec], opts: Options, phases: list[tuple[float, float]]
) -> list[WorkerSpec]:
    """Share clients (and so sending) evenly; each worker gets its share of every rate."""
    groups = _split(clients, opts.workers)
    specs = []
    for i, group in enumerate(groups):
        share = sum(1 for c in group if c.sends_to) / max(1, sum(1 for c in clients if c.sends_to))
        specs.append(WorkerSpec(i, "live", "127.0.0.1", group, [(r * share, s) for r, s in phases]))
    return specs


def _chat_topology(users: int) -> Topology:
    """Groups of 10 consecutive users, plus a direct chat between users 2k and 2k+1."""
    groups = [list(range(g, min(g + 10, users))) for g in range(0, users, 10)]
    directs = [(a, a + 1) for a in range(0, users - 1, 2)]
    return Topology(users=users, groups=groups, directs=directs)


def _chat_clients(seeded: Seeded, ports: list[int]) -> list[ClientSpec]:
    """Every user online and sending: 90% to their group, 10% to their direct chat."""
    group_of: dict[int, str] = {}
    direct_of: dict[int, str] = {}
    for n, (cid, members) in enumerate(zip(seeded.conv_ids, seeded.members, strict=True)):
        target = group_of if n < seeded.groups else direct_of
        for u in members:
            target.setdefault(u, cid)
    clients = []
    for u, token in enumerate(seeded.tokens):
        sends = [group_of[u]] * 9 + ([direct_of[u]] if u in direct_of else [])
        clients.append(ClientSpec(u, ports[u % len(ports)], token, sends_to=sends))
    return clients


def steady(opts: Options) -> Plan:
    users = _n(1000, opts.scale, 20) // 10 * 10
    rate = opts.rate or 1000 * opts.scale
    phases = [(rate, opts.duration)]

    def build(seeded: Seeded, ports: list[int]) -> list[WorkerSpec]:
        return _live_specs(_chat_clients(seeded, ports), opts, phases)

    return Plan(
        "steady",
        _chat_topology(users),
        build,
        goal="p99 send->delivery <= 50 ms at 1,000 msgs/s offered, 0 lost, 0 duplicated",
        phases=phases,
    )


def max_rate(opts: Options) -> Plan:
    users = _n(1000, opts.scale, 20) // 10 * 10
    rates = opts.rates or [r * opts.scale for r in (250, 500, 750, 1000, 1500, 2000, 3000)]
    phases = [(r, opts.duration) for r in rates]

    def build(seeded: Seeded, ports: list[int]) -> list[WorkerSpec]:
        return _live_specs(_chat_clients(seeded, ports), opts, phases)

    return Plan(
        "max",
        _chat_topology(users),
        build,
        goal=">= 3,000 acknowledged msgs/s with p99 ack <= 100 ms",
        phases=phases,
    )


def _one_group(members: int, opts: Options, rate: float, seconds: float, name: str) -> Plan:
    """One group of everyone; user 0 sends `rate` msgs/s for `seconds` (after a hold)."""
    phases = [(0.0, opts.hold), (rate, seconds)]

    def build(seeded: Seeded, ports: list[int]) -> list[WorkerSpec]:
        cid = seeded.conv_ids[0]
        clients = [
            ClientSpec(u, ports[u % len(ports)], t, sends_to=[cid] if u == 0 else [])
            for u, t in enumerate(seeded.tokens)
        ]
        return _live_specs(clients, opts, phases)

    return Plan(name, Topology(users=members, groups=[list(range(members))]), build, phases=phases)


def fanout(opts: Options) -> Plan:
    plan = _one_group(_n(5000, opts.scale, 10), opts, 10.0, opts.duration, "fanout")
    plan.goal = ">= 50,000 deliveries/s from one node; p99 send->last delivery <= 1 s"
    return plan


def connections(opts: Options) -> Plan:
    plan = _one_group(_n(10_000, opts.scale, 10), opts, 1.0, 1.0, "connections")
    plan.goal = "10,000 sockets held with server RSS <= 1 GiB; one broadcast reaches all"
    return plan


def storm(opts: Options) -> Plan:
    """2,000 users, each in 20 groups of 100 (20 layers of a random partition), 50 messages
    missed in every group; all log in at once, open their socket and sync."""
    users = _n(2000, opts.scale, 20)
    size = min(100, users)
    layers = 20
    groups: list[list[int]] = []
    for k in range(layers):
        order = list(range(users))
        random.Random(k).shuffle(order)
        groups += [order[i : i + size] for i in range(0, users, size)]
    topo = Topology(users=users, groups=groups, history=[(g, 50) for g in range(len(groups))])
    topo.tokens = False

    def build(seeded: Seeded, ports: list[int]) -> list[WorkerSpec]:
        convs_of: dict[int, dict[str, int]] = {u: {} for u in range(users)}
        for cid, members in zip(seeded.conv_ids, seeded.members, strict=True):
            for u in members:
                convs_of[u][cid] = 1  # after `group_created`: the 50 messages are missed
        clients = [
            ClientSpec(u, ports[u % len(ports)], username=seeded.usernames[u], cursors=convs_of[u])
            for u in range(users)
        ]
        return [
            WorkerSpec(i, "storm", "127.0.0.1", group, password=PASSWORD)
            for i, group in enumerate(_split(clients, opts.workers))
        ]

    return Plan(
        "storm",
        topo,
        build,
        mode="storm",
        argon2="real",
        goal="2,000 clients log in and sync 20 x 50 missed messages within 10 s, no errors",
    )


def catchup(opts: Options) -> Plan:
    """One user with 100 direct chats, 100 missed messages in each."""
    convs = _n(100, opts.scale, 2)
    topo = Topology(
        users=convs + 1,
        directs=[(0, i) for i in range(1, convs + 1)],
        history=[(c, 100) for c in range(convs)],
    )

    def build(seeded: Seeded, ports: list[int]) -> list[WorkerSpec]:
        client = ClientSpec(0, ports[0], username=seeded.usernames[0])
        client.cursors = {cid: 0 for cid in seeded.conv_ids}
        return [WorkerSpec(0, "catchup", "127.0.0.1", [client], password=PASSWORD, sync_limit=1000)]

    return Plan(
        "catchup", topo, build, mode="catchup", goal="10,000 missed messages synced in <= 2 s"
    )


SCENARIOS: dict[str, Callable[[Options], Plan]] = {
    "steady": steady,
    "max": max_rate,
    "fanout": fanout,
    "connections": connections,
    "storm": storm,
    "catchup": catchup,
}
