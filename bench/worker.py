"""One load-generator process: thousands of clients multiplexed on one uvloop loop.

Modes:
- `live`: connect and authenticate every client, wait for the common start, send at the
  planned rates over the socket (`message.send` -> `message.ack`), and record every
  ack and every `message.new` (conversation, seq, latency).
- `storm`: each client logs in over HTTP, opens its socket, then syncs from its cursors.
- `catchup`: one client pages through `POST /sync`.

Clocks: `time.monotonic()` is CLOCK_MONOTONIC, shared by every process of the machine,
so a send time written into `client_msg_id` by one process gives a delivery latency in
another. Results go back to the parent as one pickled dict."""

from __future__ import annotations

import array
import asyncio
import contextlib
import itertools
import random
import resource
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec
import orjson
import uvloop

from bench.wire import HttpClient, WsClient

WS_PATH = "/api/v1/ws"
CONNECT_CONCURRENCY = 100
QUIET_SECONDS = 2.0
DRAIN_LIMIT = 150.0
PHASE_GAP = 3.0


@dataclass
class ClientSpec:
    user: int
    port: int
    token: str = ""
    username: str = ""
    sends_to: list[str] = field(default_factory=list)  # conversations it may send to
    cursors: dict[str, int] = field(default_factory=dict)  # storm / catch-up


@dataclass
class WorkerSpec:
    index: int
    mode: str
    host: str
    clients: list[ClientSpec]
    phases: list[tuple[float, float]] = field(default_factory=list)  # (msgs/s, seconds)
    password: str = ""
    text_bytes: int = 40
    sync_limit: int = 500
    quiet: float = QUIET_SECONDS  # drain: stop once no message or ack arrived for this long


class State:
    """Per-client receive state, kept minimal: it runs once per delivered frame."""

    __slots__ = ("hello", "seqs", "spec")

    def __init__(self, spec: ClientSpec) -> None:
        self.spec = spec
        self.hello: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.seqs: dict[str, array.array[int]] = defaultdict(lambda: array.array("l"))


class Recorder:
    def __init__(self, spec: WorkerSpec, progress: Any) -> None:
        self.spec, self.progress = spec, progress
        self.sent = self.acked = self.delivered = self.errors = 0
        self.acks: list[tuple[str, int, int, float, float]] = []  # conv, seq, phase, lat, t
        self.pending: dict[str, tuple[int, float]] = {}  # client_msg_id -> phase, t_send
        self.latency: dict[int, array.array[float]] = defaultdict(lambda: array.array("d"))
        self.last: dict[tuple[str, int], list[float]] = {}  # (conv, seq) -> [t_send, t_last]
        self.closes: dict[int, int] = defaultdict(int)
        self.error_samples: list[str] = []
        self.last_frame = time.monotonic()
        self._reported = (0, 0, 0)

    def on_text(self, client: WsClient, payload: bytes) -> None:
        now = time.monotonic()
        if payload.startswith(b'{"type":"message.new"'):
            self.last_frame = now  # only messages and acks count for the drain (not pings)
            frame = orjson.loads(payload)
            cmid = frame["message"].get("client_msg_id") or ""
            if not cmid.startswith("b"):
                return
            conv, seq = frame["conversation_id"], frame["seq"]
            client.user.seqs[conv].append(seq)
            self.delivered += 1
            _, phase, _, _, t_us = cmid.split(".")
            t_send = int(t_us) / 1e6
            self.latency[int(phase)].append(now - t_send)
            slot = self.last.get((conv, seq))
            if slot is None:
                self.last[(conv, seq)] = [t_send, now]
            elif now > slot[1]:
                slot[1] = now
        elif payload.startswith(b'{"type":"message.ack"'):
            self.last_frame = now
            frame = orjson.loads(payload)
            phase, t_send = self.pending.pop(frame["client_msg_id"])
            self.acks.append((frame["conversation_id"], frame["seq"], phase, now - t_send, t_send))
            self.acked += 1
        elif payload.startswith(b'{"type":"hello"'):
            if not client.user.hello.done():
                client.user.hello.set_result(None)
        elif payload.startswith(b'{"type":"ping"'):
            client.send({"type": "pong"})
        elif payload.startswith(b'{"type":"error"'):
            self.errors += 1
            if len(self.error_samples) < 5:
                self.error_samples.append(payload[:300].decode(errors="replace"))

    def report(self) -> None:
        now = (self.sent, self.acked, self.delivered)
        if now != self._reported:
            d = [a - b for a, b in zip(now, self._reported, strict=True)]
            self.progress.put((self.spec.index, *d))
            self._reported = now


async def _connect(spec: WorkerSpec, rec: Recorder, c: ClientSpec, gate: asyncio.Semaphore):
    async with gate:
        for attempt in range(5):
            try:
                client = await WsClient.connect(spec.host, c.port, WS_PATH, rec.on_text)
                client.user = State(c)
                client.send({"type": "auth", "token": c.token})
                await asyncio.wait_for(client.user.hello, 30)
                return client
            except (OSError, TimeoutError) as exc:
                if attempt == 4:
                    rec.errors += 1
                    rec.error_samples.append(f"connect: {exc!r}")
                    return None
                await asyncio.sleep(0.2 * (attempt + 1))
    return None


async def _ticker(rec: Recorder, stop: asyncio.Event) -> None:
    while not stop.is_set():
        rec.report()
        await asyncio.sleep(0.25)
    rec.report()


async def _send_phases(
    spec: WorkerSpec, rec: Recorder, senders: list[WsClient], base: float
) -> None:
    """Open-loop sending: message k of a phase is due at phase start + k / rate, whatever
    the acks do. Phases start at fixed times (from the common start), PHASE_GAP apart, so
    every worker's phase i overlaps."""
    rng = random.Random(spec.index)
    n = 0
    filler = "x" * max(0, spec.text_bytes - 20)
    offset = 0.0
    for phase, (rate, seconds) in enumerate(spec.phases):
        t0 = base + offset
        offset += seconds + PHASE_GAP
        while time.monotonic() < t0:  # noqa: ASYNC110 (polls a clock or another process)
            await asyncio.sleep(0.002)
        if rate <= 0 or not senders:
            await asyncio.sleep(seconds)
            continue
        total = int(rate * seconds)
        k = 0
        while k < total:
            due = t0 + k / rate
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            # Send everything that is due (a late loop catches up in one burst).
            now = time.monotonic()
            while k < total and t0 + k / rate <= now:
                client = senders[n % len(senders)]
                conv = rng.choice(client.user.spec.sends_to)
                t_us = int(now * 1e6)
                cmid = f"b.{phase}.{spec.index}.{n}.{t_us}"
                rec.pending[cmid] = (phase, now)
                client.send(
                    {
                        "type": "message.send",
                        "conversation_id": conv,
                        "client_msg_id": cmid,
                        "text": f"{n} 你好 {filler}",
                    }
                )
                rec.sent += 1
                n += 1
                k += 1
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(DRAIN_LIMIT):
            while rec.pending:  # noqa: ASYNC110 (polls a clock or another process)
                await asyncio.sleep(0.01)


async def _live(spec: WorkerSpec, rec: Recorder, start_at: Any, ready: Any) -> dict[str, Any]:
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    t0 = time.monotonic()
    conns = await asyncio.gather(*(_connect(spec, rec, c, gate) for c in spec.clients))
    clients = [c for c in conns if c is not None]
    connect_seconds = time.monotonic() - t0
    ready.put((spec.index, len(clients)))
    while start_at.value == 0:  # noqa: ASYNC110 (polls a clock or another process)
        await asyncio.sleep(0.01)
    while time.monotonic() < start_at.value:  # noqa: ASYNC110 (polls a clock or another process)
        await asyncio.sleep(0.005)
    stop = asyncio.Event()
    ticker = asyncio.create_task(_ticker(rec, stop))
    senders = [c for c in clients if c.user.spec.sends_to]
    await _send_phases(spec, rec, senders, start_at.value)
    # Drain: wait until deliveries stop arriving.
    deadline = time.monotonic() + DRAIN_LIMIT
    while time.monotonic() < deadline and time.monotonic() - rec.last_frame < spec.quiet:  # noqa: ASYNC110 (polls a clock or another process)
        await asyncio.sleep(0.1)
    for client in clients:
        if client.closed.done():
            rec.closes[client.closed.result()] += 1
    stop.set()
    await ticker
    received = {c.user.spec.user: dict(c.user.seqs) for c in clients}
    bytes_in = sum(c.bytes_in for c in clients)
    for client in clients:
        client.close()
    return {
        "connected": len(clients),
        "connect_seconds": connect_seconds,
        "received": received,
        "bytes_in": bytes_in,
        "unacked": len(rec.pending),
    }


async def _storm_one(spec: WorkerSpec, rec: Recorder, c: ClientSpec) -> dict[str, Any]:
    t0 = time.monotonic()
    http = await HttpClient.open(spec.host, c.port)
    try:
        token = await login(http, c.username, spec.password)
        t_login = time.monotonic()
        ws = await WsClient.connect(spec.host, c.port, WS_PATH, rec.on_text)
        ws.user = State(c)
        ws.send({"type": "auth", "token": token})
        await asyncio.wait_for(ws.user.hello, 60)
        t_sync = time.monotonic()
        got = await sync_all(http, token, dict(c.cursors), spec.sync_limit)
        t_synced = time.monotonic()
        ws.close()
    finally:
        http.close()
    rec.delivered += sum(len(v) for v in got.values())
    return {
        "user": c.user,
        "t": t_synced - t0,
        "login": t_login - t0,
        "sync": t_synced - t_sync,
        "end": t_synced,
        "got": got,
    }


class _Entry(msgspec.Struct):
    conversation_id: str
    seq: int


class _SyncPage(msgspec.Struct):
    """What the storm checks of a sync page. msgspec still parses (and so validates) the
    whole body but builds objects only for these fields: a full parse of the storm's
    2,000,000 entries cost the load generator more CPU than the server spent sending them."""

    events: list[_Entry]
    next_cursors: dict[str, int]
    has_more: bool


_read_sync_page = msgspec.json.Decoder(_SyncPage).decode


async def login(http: HttpClient, username: str, password: str) -> str:
    """A password login over HTTP; its bearer token. Like the web client, it comes back
    after a 503 `overloaded` (the server's password-hashing queue was full)."""
    while True:
        status, body = await http.request(
            "POST", "/api/v1/auth/login", {"login": username, "password": password}
        )
        if status != 503 or not body or body.get("code") != "overloaded":
            break
        await asyncio.sleep(float(body.get("retry_after", 1)) * random.uniform(0.5, 1.5))
    if status != 200:
        raise RuntimeError(f"login {status}: {str(body)[:200]}")
    return str(body["token"])


async def sync_all(
    http: HttpClient,
    token: str,
    cursors: dict[str, int],
    limit: int,
    on_page: Callable[[int], None] | None = None,
) -> dict[str, list[int]]:
    """Page through `POST /sync` to the end: the seqs received per conversation.
    `on_page(n)` is called after the n-th page."""
    got: dict[str, list[int]] = defaultdict(list)
    for page in itertools.count(1):
        status, body = await http.request(
            "POST",
            "/api/v1/sync",
            {"cursors": cursors, "limit": limit},
            token=token,
            decode=_read_sync_page,
        )
        if status != 200:
            raise RuntimeError(f"sync {status}: {str(body)[:200]}")
        for event in body.events:
            got[event.conversation_id].append(event.seq)
        if on_page is not None:
            on_page(page)
        cursors = {k: v for k, v in body.next_cursors.items() if k in cursors}
        if not body.has_more:
            break
    return dict(got)


async def _storm(spec: WorkerSpec, rec: Recorder, start_at: Any, ready: Any) -> dict[str, Any]:
    ready.put((spec.index, len(spec.clients)))
    while start_at.value == 0 or time.monotonic() < start_at.value:  # noqa: ASYNC110 (polls a clock or another process)
        await asyncio.sleep(0.005)
    stop = asyncio.Event()
    ticker = asyncio.create_task(_ticker(rec, stop))
    results = await asyncio.gather(
        *(_storm_one(spec, rec, c) for c in spec.clients), return_exceptions=True
    )
    stop.set()
    await ticker
    done = [r for r in results if isinstance(r, dict)]
    failed = [repr(r)[:300] for r in results if not isinstance(r, dict)]
    return {"clients": done, "failed": failed}


def run(spec: WorkerSpec, progress: Any, ready: Any, start_at: Any, results: Any) -> None:
    """Process entry point."""
    from bench.servers import raise_nofile

    raise_nofile()
    rec = Recorder(spec, progress)
    main = _storm if spec.mode in ("storm", "catchup") else _live
    try:
        out = uvloop.run(main(spec, rec, start_at, ready))
        error = None
    except Exception as exc:  # reported to the parent, which fails the run
        out, error = {}, repr(exc)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out.update(
        index=spec.index,
        error=error,
        acks=rec.acks,
        latency={k: v.tolist() for k, v in rec.latency.items()},
        last=rec.last,
        errors=rec.errors,
        error_samples=rec.error_samples,
        closes=dict(rec.closes),
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        sent=rec.sent,
    )
    results.put(out)
