"""Where file bytes live, behind one small interface: a local directory (the default,
`<data_dir>/files`) or an S3-compatible bucket, chosen by `PARLEY_STORAGE_URL`.

Uploads are first spooled to a local file (`spool_dir`) while they are hashed; only a
complete, checked file is handed to `put_file`. Objects are immutable once written (keys
are content hashes), which is what makes retries and concurrent uploads of the same
bytes safe on both backends."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from parley.config import Settings

CHUNK = 256 * 1024
SPOOL_MAX_AGE_SECONDS = 3600


class Storage(Protocol):
    spool_dir: Path

    async def put_file(self, key: str, path: Path, content_type: str) -> None:
        """Store the file at `path` under `key` (consuming it). Existing keys are kept."""

    async def put_bytes(self, key: str, data: bytes, content_type: str) -> None: ...

    async def get_bytes(self, key: str) -> bytes | None: ...

    async def exists(self, key: str) -> bool: ...

    def stream(self, key: str, start: int, end: int) -> AsyncIterator[bytes]:
        """Bytes start..end (inclusive) of the object."""

    def local_copy(self, key: str) -> contextlib.AbstractAsyncContextManager[Path]:
        """A readable local path holding the object, for the preview makers."""

    async def delete(self, key: str) -> None: ...


def blob_key(sha256: str) -> str:
    return f"blobs/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def create_storage(settings: Settings) -> Storage:
    url = settings.storage_url or ""
    spool = settings.data_dir / "files" / "tmp"
    if url.startswith("s3://"):
        return S3Storage(url, spool)
    if url.startswith("file://"):
        return LocalStorage(Path(unquote(urlsplit(url).path)))
    if url:
        raise ValueError("storage_url must be empty, file:///path or s3://bucket")
    return LocalStorage(settings.data_dir / "files")


def sweep_spool(spool_dir: Path, max_age: float = SPOOL_MAX_AGE_SECONDS) -> int:
    """Remove spooled uploads left by a crashed process. Returns how many were removed."""
    removed = 0
    cutoff = time.time() - max_age
    for path in spool_dir.glob("*") if spool_dir.is_dir() else ():
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
                removed += 1
    return removed


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.spool_dir = root / "tmp"
        self.spool_dir.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.root / key

    async def put_file(self, key: str, path: Path, content_type: str) -> None:
        await asyncio.to_thread(self._put_file, key, path)

    def _put_file(self, key: str, path: Path) -> None:
        dest = self._path(key)
        if dest.exists():
            path.unlink(missing_ok=True)
            return
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, dest)  # same file system as the spool: atomic

    async def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(self._put_bytes, key, data)

    def _put_bytes(self, key: str, data: bytes) -> None:
        with tempfile.NamedTemporaryFile(dir=self.spool_dir, delete=False) as f:
            f.write(data)
        dest = self._path(key)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(f.name, dest)

    async def get_bytes(self, key: str) -> bytes | None:
        try:
            return await asyncio.to_thread(self._path(key).read_bytes)
        except FileNotFoundError:
            return None

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self._path(key).exists)

    async def stream(self, key: str, start: int, end: int) -> AsyncIterator[bytes]:
        f = await asyncio.to_thread(self._path(key).open, "rb")
        try:
            await asyncio.to_thread(f.seek, start)
            left = end - start + 1
            while left > 0:
                chunk = await asyncio.to_thread(f.read, min(CHUNK, left))
                if not chunk:
                    break
                left -= len(chunk)
                yield chunk
        finally:
            f.close()

    @contextlib.asynccontextmanager
    async def local_copy(self, key: str) -> AsyncIterator[Path]:
        yield self._path(key)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)


class S3Storage:
    """Any S3-compatible store (AWS, MinIO, Ceph ...). boto3 is blocking, so every call
    runs on a worker thread; large files go up in parallel multipart parts."""

    def __init__(self, url: str, spool_dir: Path) -> None:
        import boto3
        from botocore.config import Config

        parts = urlsplit(url)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        self.bucket = parts.hostname or ""
        if not self.bucket:
            raise ValueError("storage_url s3://bucket needs a bucket name")
        self.prefix = query.get("prefix", "")
        credentials: dict[str, Any] = {}
        if parts.username:
            credentials = {
                "aws_access_key_id": unquote(parts.username),
                "aws_secret_access_key": unquote(parts.password or ""),
            }
        self.client = boto3.client(
            "s3",
            endpoint_url=query.get("endpoint"),
            region_name=query.get("region", "us-east-1"),
            config=Config(
                s3={"addressing_style": query.get("addressing", "path")},
                retries={"max_attempts": 3, "mode": "standard"},
                max_pool_connections=32,
            ),
            **credentials,
        )
        self.spool_dir = spool_dir
        self.spool_dir.mkdir(parents=True, exist_ok=True)

    def _key(self, key: str) -> str:
        return self.prefix + key

    async def put_file(self, key: str, path: Path, content_type: str) -> None:
        try:
            if not await self.exists(key):
                await asyncio.to_thread(
                    self.client.upload_file,
                    str(path),
                    self.bucket,
                    self._key(key),
                    ExtraArgs={"ContentType": content_type},
                )
        finally:
            await asyncio.to_thread(path.unlink, missing_ok=True)

    async def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(
            self.client.put_object,
            Bucket=self.bucket,
            Key=self._key(key),
            Body=data,
            ContentType=content_type,
        )

    async def get_bytes(self, key: str) -> bytes | None:
        def get() -> bytes | None:
            try:
                obj = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
            except self.client.exceptions.NoSuchKey:
                return None
            return bytes(obj["Body"].read())

        return await asyncio.to_thread(get)

    async def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        def head() -> bool:
            try:
                self.client.head_object(Bucket=self.bucket, Key=self._key(key))
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                    return False
                raise
            return True

        return await asyncio.to_thread(head)

    async def stream(self, key: str, start: int, end: int) -> AsyncIterator[bytes]:
        obj = await asyncio.to_thread(
            self.client.get_object,
            Bucket=self.bucket,
            Key=self._key(key),
            Range=f"bytes={start}-{end}",
        )
        body = obj["Body"]
        try:
            while chunk := await asyncio.to_thread(body.read, CHUNK):
                yield chunk
        finally:
            body.close()

    @contextlib.asynccontextmanager
    async def local_copy(self, key: str) -> AsyncIterator[Path]:
        fd, name = tempfile.mkstemp(dir=self.spool_dir, prefix="copy-")
        os.close(fd)
        path = Path(name)
        try:
            await asyncio.to_thread(
                self.client.download_file, self.bucket, self._key(key), str(path)
            )
            yield path
        finally:
            await asyncio.to_thread(path.unlink, missing_ok=True)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.client.delete_object, Bucket=self.bucket, Key=self._key(key))
