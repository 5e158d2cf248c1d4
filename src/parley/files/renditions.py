"""Previews are made once per content (keyed by SHA-256, so a file uploaded twice is
previewed once), stored next to the blob with a small JSON manifest, and made off the
request path: a bounded pool of worker threads does the work, a request waits for it
at most `preview_wait_seconds` and otherwise gets "pending" (HTTP 202). The workers are
shared fairly between users (`FairSlots`): each rendition is charged to the user who first
asked for it, and users' queues are served in turn, so one person's many large previews
cannot hold back everyone else's thumbnails.

Failures are cached too (a damaged PDF is not re-parsed on every request)."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import structlog

from parley.config import Settings
from parley.files import previews
from parley.files.fair_slots import FairSlots
from parley.files.storage import Storage, blob_key

log = structlog.get_logger()
FAMILIES = ("thumb", "preview")
WORKERS = 2


@dataclass(frozen=True)
class Source:
    sha256: str
    mime: str
    name: str

    def variant(self, family: str) -> str:
        """Text views depend on the name too (`.py` is highlighted, `.md` rendered), so
        the same bytes under another extension get their own rendition."""
        if family == "preview" and (self.mime.startswith("text/") or "xml" in self.mime):
            ext = "".join(c for c in self.name.rpartition(".")[2].lower() if c.isalnum())[:10]
            return f"preview.{ext or 'txt'}"
        return family


def artifact_key(sha256: str, family: str, page: int) -> str:
    return f"renditions/{sha256}/{family}/{page}"


def manifest_key(sha256: str, family: str) -> str:
    return f"renditions/{sha256}/{family}.json"


class Renditions:
    def __init__(self, storage: Storage, settings: Settings) -> None:
        self.storage = storage
        self.settings = settings
        self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="parley-preview")
        self._slots = FairSlots(WORKERS)
        self._inflight: dict[tuple[str, str], asyncio.Future[dict[str, Any]]] = {}
        self._manifests: dict[tuple[str, str], dict[str, Any]] = {}

    async def get(
        self, source: Source, family: str, owner: str, *, wait: float | None = None
    ) -> dict[str, Any] | None:
        """The manifest of a rendition (made now if needed, charged to `owner`, the user
        asking), or None while it is still being made after `wait` seconds."""
        key = (source.sha256, source.variant(family))
        cached = self._manifests.get(key)
        if cached is not None:
            return cached
        raw = await self.storage.get_bytes(manifest_key(*key))
        if raw is not None:
            cached = orjson.loads(raw)
            self._remember(key, cached)
            return cached
        task = self.schedule(source, family, owner)
        timeout = self.settings.preview_wait_seconds if wait is None else wait
        try:
            return await asyncio.wait_for(asyncio.shield(task), timeout)
        except TimeoutError:
            return None

    def artifact(self, source: Source, family: str, page: int) -> str:
        return artifact_key(source.sha256, source.variant(family), page)

    def schedule(self, source: Source, family: str, owner: str) -> asyncio.Future[dict[str, Any]]:
        """Start making a rendition in `owner`'s queue, unless it is being made already."""
        key = (source.sha256, source.variant(family))
        task = self._inflight.get(key)
        if task is None and key in self._manifests:
            done: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
            done.set_result(self._manifests[key])
            return done
        if task is None:
            task = asyncio.create_task(self._make(source, family, owner))
            self._inflight[key] = task
            task.add_done_callback(lambda _: self._inflight.pop(key, None))
        return task

    async def _make(self, source: Source, family: str, owner: str) -> dict[str, Any]:
        variant = source.variant(family)
        raw = await self.storage.get_bytes(manifest_key(source.sha256, variant))
        if raw is not None:  # made already (by another node, or before a restart)
            manifest: dict[str, Any] = orjson.loads(raw)
            self._remember((source.sha256, variant), manifest)
            return manifest
        out = Path(tempfile.mkdtemp(prefix="rendition-", dir=self.storage.spool_dir))
        try:
            try:
                async with (
                    self._slots.slot(owner),
                    self.storage.local_copy(blob_key(source.sha256)) as src,
                ):
                    manifest = await asyncio.get_running_loop().run_in_executor(
                        self._pool, self._run, family, src, out, source
                    )
            except previews.PreviewError as exc:
                manifest = {"status": "failed", "reason": str(exc)[:200]}
            for page in range(1, int(manifest.get("pages", 0)) + 1):
                data = await asyncio.to_thread((out / str(page)).read_bytes)
                await self.storage.put_bytes(
                    artifact_key(source.sha256, variant, page), data, manifest["media_type"]
                )
            await self.storage.put_bytes(
                manifest_key(source.sha256, variant), orjson.dumps(manifest), "application/json"
            )
            self._remember((source.sha256, variant), manifest)
            return manifest
        except Exception:
            log.exception("files.rendition_failed", sha256=source.sha256, family=family)
            raise
        finally:
            shutil.rmtree(out, ignore_errors=True)

    def _run(self, family: str, src: Path, out: Path, source: Source) -> dict[str, Any]:
        manifest = previews.make(
            family, src, out, mime=source.mime, name=source.name, settings=self.settings
        )
        return {"status": "ready", **manifest}

    def _remember(self, key: tuple[str, str], manifest: dict[str, Any]) -> None:
        if len(self._manifests) > 10_000:
            self._manifests.clear()
        self._manifests[key] = manifest

    async def close(self) -> None:
        for task in list(self._inflight.values()):
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
        self._pool.shutdown(wait=False, cancel_futures=True)
