"""Helpers for files tests: uploads with hand-built multipart bodies (so names reach the
server byte for byte), and inspection of what the server stored."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
from sqlalchemy import func, select

from parley.db.session import read_scope
from parley.files.models import File
from tests.helpers import Api, Server

BOUNDARY = "----parleytestboundary7MA4YWxkTrZu0gW"


def multipart(name: bytes | str, data: bytes, content_type: str = "application/octet-stream"):
    """A multipart/form-data body with one `file` part, its filename sent raw."""
    raw = name.encode() if isinstance(name, str) else name
    head = (
        f"--{BOUNDARY}\r\n".encode()
        + b'Content-Disposition: form-data; name="file"; filename="'
        + raw
        + b'"\r\n'
        + f"Content-Type: {content_type}\r\n\r\n".encode()
    )
    return head, f"\r\n--{BOUNDARY}--\r\n".encode()


async def upload_raw(
    api: Api, name: bytes | str, data: bytes, content_type: str = "application/octet-stream"
) -> httpx.Response:
    head, tail = multipart(name, data, content_type)
    return await api.post(
        "/files",
        content=head + data + tail,
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )


async def upload(api: Api, name: str, data: bytes, content_type: str = "application/octet-stream"):
    r = await upload_raw(api, name, data, content_type)
    assert r.status_code in (200, 201), r.text
    return dict(r.json())


async def send_files(api: Api, cid: str, *file_ids: str, text: str = "") -> dict[str, Any]:
    return await api.send(cid, text, attachments=list(file_ids))


def files_runtime(server: Server) -> Any:
    return server.app.state.files


def spooled(server: Server) -> list[str]:
    """Upload spool files present right now (partial uploads)."""
    spool = files_runtime(server).storage.spool_dir
    if not spool.exists():
        return []
    return sorted(p.name for p in spool.iterdir() if p.name.startswith("upload-"))


def blob_keys(server: Server) -> list[str]:
    storage = files_runtime(server).storage
    if hasattr(storage, "client"):
        listing = storage.client.list_objects_v2(Bucket=storage.bucket, Prefix="blobs/")
        return sorted(o["Key"] for o in listing.get("Contents", []))
    root = storage.root / "blobs"
    return sorted(str(p.relative_to(storage.root)) for p in root.rglob("*") if p.is_file())


async def file_rows(server: Server) -> int:
    async with read_scope(server.app.state.runtime.db) as session:
        return int(await session.scalar(select(func.count()).select_from(File)) or 0)


async def wait_for(predicate: Any, timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():  # noqa: ASYNC110 - polling the server's side effects
            await asyncio.sleep(0.05)


async def ready(api: Api, path: str, timeout: float = 60.0, **kw: Any) -> httpx.Response:
    """GET a rendition, following 202 (being made) until it is there."""
    async with asyncio.timeout(timeout):
        while True:
            r = await api.get(path, **kw)
            if r.status_code != 202:
                return r
            assert r.headers["retry-after"] == "1"
            await asyncio.sleep(0.2)


def guessed_id() -> str:
    return str(uuid.uuid4())
