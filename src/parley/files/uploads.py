"""Receiving an upload: the request boundary of POST /files.

The multipart body is parsed as it arrives and the file part is written to a spool file
on disk while it is hashed, so memory use stays flat whatever the size. The limit is
enforced three times: from Content-Length before anything is read, while streaming
(chunked bodies and liars), and against the user's quota. Any failure or disconnect
removes the partial file. The database is touched only around the streaming, never
held open during it (SQLite has one writer)."""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from parley.core.errors import BadRequest, Invalid, Problem
from parley.db.session import read_scope, write_scope
from parley.files import media, scan, service
from parley.files.names import safe_name
from parley.files.previews import office_available
from parley.files.renditions import Renditions, Source
from parley.files.schemas import FileRead
from parley.files.sniff import sniff
from parley.files.storage import Storage, blob_key
from parley.runtime import Runtime
from parley.users import service as users
from parley.users.principal import Principal

MULTIPART_SLACK = 16 * 1024  # boundaries and part headers around the file itself
FLUSH_BYTES = 1024 * 1024
_FILENAME_STAR = re.compile(r"filename\*\s*=\s*UTF-8''([^;\s]+)", re.IGNORECASE)


class UnsupportedMediaType(Problem):
    status, code, title = 415, "unsupported_media_type", "Unsupported media type"


@dataclass
class Spooled:
    path: Path
    name: str = ""
    size: int = 0
    sha256: str = ""


@dataclass
class _Receiver:
    """python-multipart callbacks: collect the file part's bytes for the next flush."""

    max_bytes: int
    spool_dir: Path
    spooled: Spooled | None = None
    pending: list[bytes] = field(default_factory=list)
    pending_bytes: int = 0
    _headers: dict[bytes, bytes] = field(default_factory=dict)
    _field: bytes = b""
    _value: bytes = b""
    _in_file: bool = False
    _raw_disposition: bytes = b""

    def on_part_begin(self) -> None:
        self._headers, self._in_file = {}, False

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[self._field.lower()] = self._value
        self._field, self._value = b"", b""

    def on_headers_finished(self) -> None:
        disposition = self._headers.get(b"content-disposition", b"")
        _, params = parse_options_header(disposition)
        if params.get(b"name") != b"file":
            return  # other fields are ignored
        if self.spooled is not None:
            raise Invalid("Upload one file per request.", code="one_file_per_upload")
        star = _FILENAME_STAR.search(disposition.decode("latin-1"))
        raw_name = (
            unquote(star.group(1))
            if star
            else params.get(b"filename", b"").decode("utf-8", errors="replace")
        )
        fd, path = tempfile.mkstemp(dir=self.spool_dir, prefix="upload-")
        os.close(fd)
        self.spooled = Spooled(Path(path), name=safe_name(raw_name))
        self._in_file = True

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if not self._in_file or self.spooled is None:
            return
        chunk = bytes(data[start:end])
        self.spooled.size += len(chunk)
        service.check_size(self.max_bytes, self.spooled.size)
        self.pending.append(chunk)
        self.pending_bytes += len(chunk)

    def on_part_end(self) -> None:
        self._in_file = False

    def callbacks(self) -> dict[str, Any]:
        return {
            name: getattr(self, name)
            for name in (
                "on_part_begin",
                "on_header_field",
                "on_header_value",
                "on_header_end",
                "on_headers_finished",
                "on_part_data",
                "on_part_end",
            )
        }


def _write(f: IO[bytes], hasher: Any, chunks: list[bytes]) -> None:
    for chunk in chunks:
        hasher.update(chunk)  # hashlib releases the GIL on large buffers
        f.write(chunk)


async def receive(request: Request, spool_dir: Path, max_bytes: int) -> Spooled:
    """Stream the multipart body's `file` part to a spool file. The caller removes it."""
    content_type = request.headers.get("content-type", "")
    kind, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UnsupportedMediaType("Send the file as multipart/form-data in a `file` field.")
    receiver = _Receiver(max_bytes, spool_dir)
    parser = MultipartParser(boundary, receiver.callbacks())  # type: ignore[arg-type]
    hasher = hashlib.sha256()
    f: IO[bytes] | None = None
    try:
        async for chunk in request.stream():
            try:
                parser.write(chunk)
            except Problem:
                raise
            except Exception as exc:
                raise BadRequest("Malformed multipart body.", code="malformed_multipart") from exc
            if receiver.spooled is not None and f is None:
                f = receiver.spooled.path.open("wb")
            if receiver.pending_bytes >= FLUSH_BYTES and f is not None:
                chunks, receiver.pending, receiver.pending_bytes = receiver.pending, [], 0
                await asyncio.to_thread(_write, f, hasher, chunks)
        parser.finalize()
        if receiver.spooled is None:
            raise Invalid("The body has no `file` part.", code="no_file")
        if f is None:
            f = receiver.spooled.path.open("wb")
        await asyncio.to_thread(_write, f, hasher, receiver.pending)
        receiver.spooled.sha256 = hasher.hexdigest()
        return receiver.spooled
    except BaseException:
        if receiver.spooled is not None:
            receiver.spooled.path.unlink(missing_ok=True)
        raise
    finally:
        if f is not None:
            f.close()


async def _scan(rt: Runtime, spooled: Spooled, user_id: Any) -> None:
    """Before anything else looks into the bytes: an infected file is never stored, and
    administrators are told who tried (a security alert)."""
    try:
        await scan.scan(rt.settings, spooled.path, spooled.name)
    except scan.FileInfected as infected:
        detail = f"Upload of {spooled.name!r} refused: {infected.extra['signature']}."
        async with write_scope(rt.db, rt.publish) as session:
            await users.record_security_alert(session, "file_infected", user_id, detail)
        raise


def _hash_file(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(FLUSH_BYTES):
            hasher.update(chunk)
    return hasher.hexdigest()


async def handle(
    request: Request, rt: Runtime, storage: Storage, renditions: Renditions, uploader: Principal
) -> tuple[FileRead, bool]:
    """Receive, check, store and record one upload. Returns it and whether it is new."""
    settings, user_id = rt.settings, uploader.user_id
    declared = request.headers.get("content-length")
    async with read_scope(rt.db) as session:
        limit = await service.upload_limit(session, settings, uploader)
        if declared is not None and declared.isdigit():
            # Rejected before a single byte of the body is read.
            service.check_size(limit, max(int(declared) - MULTIPART_SLACK, 0))
            await service.check_quota(
                session, settings, user_id, max(int(declared) - MULTIPART_SLACK, 0)
            )
    spooled = await receive(request, storage.spool_dir, limit)
    try:
        if spooled.size == 0:
            raise Invalid("The file is empty.", code="empty_file")
        await _scan(rt, spooled, user_id)
        mime = await asyncio.to_thread(sniff, spooled.path)
        found = await asyncio.to_thread(
            media.inspect,
            spooled.path,
            mime,
            max_pixels=settings.max_image_pixels,
            office=office_available(settings.office_converter),
        )
        if found.rewritten:  # location metadata removed: new bytes, new address
            spooled.sha256 = await asyncio.to_thread(_hash_file, spooled.path)
            spooled.size = spooled.path.stat().st_size
        async with read_scope(rt.db) as session:
            twin = await service.retried_upload(session, user_id, spooled.sha256, spooled.name)
            if twin is not None:
                return service.to_read(twin), False
            await service.check_quota(session, settings, user_id, spooled.size)
        await storage.put_file(blob_key(spooled.sha256), spooled.path, found.mime)
        async with write_scope(rt.db, rt.publish) as session:
            file = await service.record_upload(
                session,
                settings,
                user_id,
                sha256=spooled.sha256,
                size=spooled.size,
                name=spooled.name,
                mime=found.mime,
                kind=found.kind,
                meta=found.meta,
            )
            read = service.to_read(file)
    finally:
        spooled.path.unlink(missing_ok=True)
    if read.thumbnail_url:
        # Made now, off the request path, so it is ready when the message is shown.
        renditions.schedule(Source(file.sha256, file.mime, file.name), "thumb", str(user_id))
    return read, True
