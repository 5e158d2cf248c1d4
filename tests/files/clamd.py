"""A real clamd (Debian `clamav-daemon`) on 127.0.0.1 for the upload scanning tests.
No signature database can be downloaded here, so the test writes its own: the EICAR
test string as an `.ndb` body signature, which is what every antivirus detects by name."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import free_port
from tests.processes import stop, wait_until_up
from tests.services import missing

CLAMD = shutil.which("clamd") or "/usr/sbin/clamd"
# The standard antivirus test file (harmless by design), built in two parts so that this
# source file itself is not flagged by scanners.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR" + b"-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SIGNATURE = "Parley-Test-EICAR"


def _pong(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"zPING\0")
            return s.recv(16).startswith(b"PONG")
    except OSError:
        return False


@contextlib.contextmanager
def running_clamd(workdir: Path) -> Iterator[str]:
    """clamd on a free TCP port, knowing only the EICAR signature; yields its URL."""
    if not Path(CLAMD).exists():
        missing("clamd is missing: apt-get install clamav-daemon")
    db = workdir / "db"
    db.mkdir(parents=True, exist_ok=True)
    # name:target type (0 = any file):offset (* = anywhere):the bytes in hex
    (db / "parley-test.ndb").write_text(f"{SIGNATURE}:0:*:{EICAR.hex()}\n")
    port = free_port()
    conf = workdir / "clamd.conf"
    log = workdir / "clamd.log"
    conf.write_text(
        "\n".join(
            [
                "Foreground yes",
                f"DatabaseDirectory {db}",
                f"TCPSocket {port}",
                "TCPAddr 127.0.0.1",
                f"LogFile {log}",
                f"PidFile {workdir / 'clamd.pid'}",
                "StreamMaxLength 50M",
                "Bytecode no",
            ]
        )
        + "\n"
    )
    log.touch()
    with (workdir / "clamd.out").open("w") as out:
        proc = subprocess.Popen(
            [CLAMD, "--config-file", str(conf)], stdout=out, stderr=subprocess.STDOUT
        )
        try:
            wait_until_up(proc, lambda: _pong(port), 60, "clamd", workdir / "clamd.out")
            yield f"tcp://127.0.0.1:{port}"
        finally:
            stop(proc, 10)
