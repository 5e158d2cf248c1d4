"""A real coturn (Debian `coturn`, `turnserver`) on 127.0.0.1 for the call tests: TURN
REST API credentials (`use-auth-secret`), relaying on the loopback only, so call media in
a test passes through it and never leaves this machine. Used by tests/calls and the
browser test (tests/e2e/test_calls.py)."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.processes import stop, wait_until_up

TURNSERVER = shutil.which("turnserver") or "/usr/bin/turnserver"
RELAY_PORTS = 20  # a few allocations per peer (one per transport), with room to spare


@dataclass(frozen=True)
class Coturn:
    port: int
    secret: str
    log: Path

    @property
    def url(self) -> str:
        return f"turn:127.0.0.1:{self.port}?transport=udp"

    def parley_settings(self) -> dict[str, object]:
        """Parley's settings for calls relayed through this server only."""
        return {
            "call_turn_urls": [self.url],
            "call_turn_secret": self.secret,
            "call_relay_only": True,
        }

    def relayed_users(self) -> set[str]:
        """The users (of the TURN usernames "<expiry>:<user id>") coturn has granted a relay
        allocation so far, from its log."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return {
            m.group(1)
            for m in re.finditer(
                r"user <\d+:([^>]+)>: incoming packet ALLOCATE processed, success", text
            )
        }


def _udp_port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_udp_range(size: int) -> int:
    """The first port of `size` consecutive UDP ports free on 127.0.0.1."""
    for _ in range(200):
        first = secrets.randbelow(20_000) + 40_000
        if all(_udp_port_free(p) for p in range(first, first + size)):
            return first
    raise RuntimeError("no free UDP port range for coturn's relays")


def _free_port() -> int:
    """A port free for both UDP and TCP on 127.0.0.1 (coturn listens on both)."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        if _udp_port_free(port):
            return port


def _answers_stun(port: int) -> bool:
    """A STUN Binding request (RFC 5389) gets a response: coturn is listening."""
    request = b"\x00\x01\x00\x00\x21\x12\xa4\x42" + os.urandom(12)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(0.2)
        s.sendto(request, ("127.0.0.1", port))
        try:
            return s.recv(512)[8:20] == request[8:20]
        except OSError:
            return False


@contextlib.contextmanager
def running_coturn(workdir: Path) -> Iterator[Coturn]:
    """coturn on free ports of 127.0.0.1, with no configuration from /etc and its state
    (log, pid, user database) in `workdir`; stopped on exit."""
    if not Path(TURNSERVER).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("turnserver is missing: apt-get install coturn")
        pytest.skip("turnserver is missing: apt-get install coturn")
    port, first = _free_port(), _free_udp_range(RELAY_PORTS)
    server = Coturn(port=port, secret=secrets.token_urlsafe(24), log=workdir / "turnserver.log")
    args = [
        TURNSERVER,
        "-c", "/dev/null",
        "--listening-ip=127.0.0.1",
        "--relay-ip=127.0.0.1",
        f"--listening-port={port}",
        f"--min-port={first}",
        f"--max-port={first + RELAY_PORTS - 1}",
        "--use-auth-secret",
        f"--static-auth-secret={server.secret}",
        "--realm=parley.test",
        "--allow-loopback-peers",
        "--no-tls",
        "--no-dtls",
        "--no-cli",
        "--no-stdout-log",
        "--verbose",  # one line per allocation, counted by Coturn.allocations
        "--simple-log",
        f"--log-file={server.log}",
        f"--pidfile={workdir / 'turnserver.pid'}",
        f"--userdb={workdir / 'turndb'}",
    ]  # fmt: skip
    out = (workdir / "turnserver.out").open("w")
    proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until_up(proc, lambda: _answers_stun(port), 10, "coturn", server.log)
        yield server
    finally:
        stop(proc, 5)
        out.close()
