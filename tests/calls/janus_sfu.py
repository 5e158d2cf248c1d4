"""A real Janus (Debian `janus`, VideoRoom plugin) for the group-call tests.

Janus gathers ICE candidates on every interface but `lo`, so it runs in a network
namespace the test creates: only `lo` and a veth pair whose two ends both stay inside it
(10.200.0.1 and 10.200.0.2), with `ice_enforce_list` naming one end. The aiortc clients run
in the same namespace (tests/calls/janus_peer.py, started with `ip netns exec`), so no media
ever leaves it. Parley, outside, reaches Janus's HTTP API through a bridge: socat on
127.0.0.1 -> a Unix socket in the work directory -> socat inside the namespace -> Janus."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.processes import stop, wait_until_up

JANUS = shutil.which("janus") or "/usr/bin/janus"
SOCAT = shutil.which("socat") or "/usr/bin/socat"
LIB = Path("/usr/lib/x86_64-linux-gnu/janus")
PORT = 8088  # inside the namespace, which has its own ports
ADDRESSES = ("10.200.0.1", "10.200.0.2")  # Janus's end and the clients' end of the veth
KEEP = {"libjanus_videoroom.so", "libjanus_http.so"}


@dataclass(frozen=True)
class Janus:
    netns: str
    bridge_port: int
    admin_key: str
    log: Path

    @property
    def inner_url(self) -> str:
        """Janus's API as the clients inside the namespace reach it."""
        return f"http://{ADDRESSES[0]}:{PORT}/janus"

    @property
    def outer_url(self) -> str:
        """Janus's API as Parley reaches it: through the bridge on 127.0.0.1."""
        return f"http://127.0.0.1:{self.bridge_port}/janus"

    @contextlib.contextmanager
    def expose(self, port: int, workdir: Path) -> Iterator[None]:
        """Make 127.0.0.1:`port` of this machine (Parley) reachable at 127.0.0.1:`port`
        inside the namespace (for a browser running there)."""
        procs = _bridge(
            self.netns, workdir / f"out-{port}.sock", port, f"127.0.0.1:{port}", inward=False
        )
        try:
            yield
        finally:
            for proc in procs:
                stop(proc, 5)

    def chromium(self, workdir: Path, chromium: Path) -> Path:
        """An executable that runs Chromium inside the namespace (for Playwright)."""
        wrapper = workdir / "chromium-in-netns"
        wrapper.write_text(f'#!/bin/sh\nexec ip netns exec {self.netns} {chromium} "$@"\n')
        wrapper.chmod(0o755)
        return wrapper

    def parley_settings(self) -> dict[str, object]:
        return {
            "janus_url": [self.outer_url],
            "janus_public_url": [self.inner_url],
            "janus_admin_key": self.admin_key,
        }

    async def room_exists(self, room: int) -> bool:
        """Whether Janus has this VideoRoom room now (asked directly, not through Parley)."""
        async with httpx.AsyncClient(base_url=self.outer_url, timeout=5) as c:
            t = {"transaction": "t"}
            sid = (await c.post("", json={"janus": "create", **t})).json()["data"]["id"]
            attach = {"janus": "attach", "plugin": "janus.plugin.videoroom", **t}
            handle = (await c.post(f"/{sid}", json=attach)).json()["data"]["id"]
            body = {"request": "exists", "room": room}
            r = await c.post(f"/{sid}/{handle}", json={"janus": "message", "body": body, **t})
            await c.post(f"/{sid}", json={"janus": "destroy", **t})
        return bool(r.json()["plugindata"]["data"]["exists"])

    @contextlib.asynccontextmanager
    async def peer(self) -> AsyncIterator[MediaPeer]:
        """A participant's media client inside the namespace (tests/calls/janus_peer.py)."""
        proc = await asyncio.create_subprocess_exec(
            *("ip", "netns", "exec", self.netns, _python(), "-m", "tests.calls.janus_peer"),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            cwd=ROOT,
        )
        try:
            yield MediaPeer(proc)
        finally:
            assert proc.stdin is not None
            proc.stdin.close()
            try:
                await asyncio.wait_for(proc.wait(), 10)
            except TimeoutError:
                proc.kill()
                await proc.wait()


@dataclass
class MediaPeer:
    proc: asyncio.subprocess.Process

    async def do(self, op: str, **args: Any) -> dict[str, Any]:
        """One command; its answer (an `error` in it fails the test)."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"op": op, **args}).encode() + b"\n")
        await self.proc.stdin.drain()
        async with asyncio.timeout(40):
            line = await self.proc.stdout.readline()
        assert line, "the media peer exited"
        answer: dict[str, Any] = json.loads(line)
        return answer

    async def publish(self, joined: dict[str, Any]) -> dict[str, Any]:
        """Publish to the room Parley's `meeting.joined` frame names, with its token."""
        janus = joined["janus"]
        return await self.do(
            "publish",
            url=janus["url"],
            room=janus["room"],
            token=janus["token"],
            feed_id=janus["feed_id"],
            display=janus["display"],
        )


ROOT = Path(__file__).resolve().parents[2]


def _python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else "python3"


def missing() -> str | None:
    """Why Janus cannot run here, or None."""
    if not Path(JANUS).exists():
        return "janus is missing: apt-get install janus"
    if not Path(SOCAT).exists():
        return "socat is missing: apt-get install socat"
    if os.geteuid() != 0 or shutil.which("ip") is None:
        return "a network namespace for Janus needs root and iproute2"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True, timeout=10)


def _write_config(folder: Path, admin_key: str) -> Path:
    disabled = lambda kind: ",".join(  # noqa: E731
        p.name for p in (LIB / kind).glob("*.so") if p.name not in KEEP
    )
    (folder / "janus.jcfg").write_text(
        f"""general: {{
  configs_folder = "{folder}"
  plugins_folder = "{LIB / "plugins"}"
  transports_folder = "{LIB / "transports"}"
  events_folder = "{LIB / "events"}"
  loggers_folder = "{LIB / "loggers"}"
  debug_level = 4
  server_name = "parley-test"
  session_timeout = 120
}}
media: {{ rtp_port_range = "20000-20999" }}
nat: {{ ice_enforce_list = "pj0" }}
plugins: {{ disable = "{disabled("plugins")}" }}
transports: {{ disable = "{disabled("transports")}" }}
events: {{ broadcast = false }}
loggers: {{ disable = "{disabled("loggers")}" }}
"""
    )
    (folder / "janus.transport.http.jcfg").write_text(
        f'general: {{ json = "plain" base_path = "/janus" http = true port = {PORT} }}\n'
        "admin: { admin_http = false }\n"
    )
    (folder / "janus.plugin.videoroom.jcfg").write_text(
        f'general: {{ admin_key = "{admin_key}" }}\n'
    )
    return folder / "janus.jcfg"


def _netns(name: str) -> None:
    """The namespace: `lo` and a veth pair, both ends inside, both up."""
    _run("ip", "netns", "add", name)
    inside = ("ip", "netns", "exec", name)
    _run(*inside, "ip", "link", "set", "lo", "up")
    _run(*inside, "ip", "link", "add", "pj0", "type", "veth", "peer", "name", "pj1")
    for dev, address in zip(("pj0", "pj1"), ADDRESSES, strict=True):
        _run(*inside, "ip", "addr", "add", f"{address}/24", "dev", dev)
        _run(*inside, "ip", "link", "set", dev, "up")


def _bridge(netns: str, sock: Path, port: int, target: str, *, inward: bool) -> list[Any]:
    """socat on 127.0.0.1:`port` on one side of the namespace, forwarding through the Unix
    socket `sock` (a file: both sides see it) to `target` on the other side. `inward`:
    listen outside, reach into the namespace; else the reverse."""
    inside = ["ip", "netns", "exec", netns]
    listen = [SOCAT, f"TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork", f"UNIX-CONNECT:{sock}"]
    serve = [SOCAT, f"UNIX-LISTEN:{sock},fork", f"TCP:{target}"]
    first, second = (inside + serve, listen) if inward else (serve, inside + listen)
    procs = [subprocess.Popen(first)]
    deadline = time.monotonic() + 5
    while not sock.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    procs.append(subprocess.Popen(second))
    return procs


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/info", timeout=1).json().get("janus") == "server_info"
    except (httpx.HTTPError, ValueError):
        return False


@contextlib.contextmanager
def running_janus(workdir: Path) -> Iterator[Janus]:
    """Janus in a fresh network namespace, its API bridged to a free port of 127.0.0.1;
    everything is stopped and the namespace deleted on exit."""
    reason = missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    name = f"parley-janus-{os.getpid()}-{secrets.token_hex(3)}"
    janus = Janus(name, _free_port(), secrets.token_urlsafe(16), workdir / "janus.log")
    config = _write_config(workdir, janus.admin_key)
    sock = workdir / "janus-api.sock"
    procs: list[subprocess.Popen[bytes]] = []
    _netns(name)
    try:
        inside = ["ip", "netns", "exec", name]
        out = janus.log.open("w")
        procs.append(
            subprocess.Popen(
                [*inside, JANUS, "-C", str(config), "-F", str(workdir), "-o"],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        )
        procs += _bridge(name, sock, janus.bridge_port, f"{ADDRESSES[0]}:{PORT}", inward=True)
        wait_until_up(procs[0], lambda: _answers(janus.outer_url), 15, "janus", janus.log)
        yield janus
    finally:
        for proc in reversed(procs):
            stop(proc, 5)
        subprocess.run(["ip", "netns", "delete", name], check=False, timeout=10)
