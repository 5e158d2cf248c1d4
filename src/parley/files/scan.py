"""Virus scanning of uploads with clamd (PARLEY_CLAMD), before a file can be stored or
attached. The spooled upload is streamed to clamd with INSTREAM (clamd needs no access to
Parley's files, and may run on another machine). An infected file is refused with 422
`file_infected` and recorded as a security alert; a scanner that cannot answer refuses
the upload with 503 `scanner_unavailable`, unless PARLEY_CLAMD_FAIL_OPEN accepts it
unscanned (logged)."""

from __future__ import annotations

import asyncio
import struct
from pathlib import Path
from urllib.parse import urlsplit

import structlog

from parley.config import Settings
from parley.core.errors import Invalid, Overloaded

log = structlog.get_logger()
CHUNK = 64 * 1024


class FileInfected(Invalid):
    code, title = "file_infected", "File infected"


class ScannerUnavailable(Overloaded):
    code, title = "scanner_unavailable", "Virus scanner unavailable"


class ScanError(Exception):
    """clamd could not be reached or gave no verdict."""


async def scan(settings: Settings, path: Path, name: str) -> str | None:
    """None when the file is clean or no scanner is configured; else refuses the upload:
    `file_infected` with the signature, or `scanner_unavailable`."""
    if not settings.clamd:
        return None
    try:
        async with asyncio.timeout(settings.clamd_timeout_seconds):
            verdict = await instream(settings.clamd, path)
    except (OSError, TimeoutError, ScanError) as exc:
        log.error("upload.scan_failed", scanner=settings.clamd, error=str(exc) or repr(exc))
        if settings.clamd_fail_open:
            return None
        raise ScannerUnavailable(
            "Uploads cannot be checked for viruses right now; try again later.", retry_after=30
        ) from exc
    if verdict is None:
        return None
    raise FileInfected(
        f"“{name}” contains malware ({verdict}) and was not uploaded.", signature=verdict
    )


async def instream(url: str, path: Path) -> str | None:
    """Send the file to clamd (`tcp://host:port` or `unix:///path`); the signature name
    if it found one, None if clean."""
    reader, writer = await _connect(url)
    try:
        writer.write(b"zINSTREAM\0")
        with path.open("rb") as f:
            while chunk := await asyncio.to_thread(f.read, CHUNK):
                writer.write(struct.pack(">I", len(chunk)) + chunk)
                await writer.drain()
        writer.write(struct.pack(">I", 0))
        await writer.drain()
        reply = (await reader.read(4096)).rstrip(b"\0").decode(errors="replace").strip()
    finally:
        writer.close()
    return parse_reply(reply)


def parse_reply(reply: str) -> str | None:
    """`stream: OK` -> None; `stream: <signature> FOUND` -> the signature; else an error."""
    _, _, result = reply.partition(": ")
    if result == "OK":
        return None
    if result.endswith(" FOUND"):
        return result.removesuffix(" FOUND")
    raise ScanError(f"clamd answered {reply!r}")


async def _connect(url: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return await asyncio.open_unix_connection(parts.path)
    if parts.scheme == "tcp" and parts.hostname and parts.port:
        return await asyncio.open_connection(parts.hostname, parts.port)
    raise ScanError(f"PARLEY_CLAMD must be tcp://host:port or unix:///path, not {url!r}")
