"""The files domain's long-lived parts (storage client, preview workers), built once by
`create_app` and reached by the endpoints through `FilesDep`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from parley.config import Settings
from parley.core.app_state import app_state
from parley.files.renditions import Renditions
from parley.files.storage import Storage, create_storage, sweep_spool


@dataclass
class FilesRuntime:
    storage: Storage
    renditions: Renditions

    @classmethod
    def create(cls, settings: Settings) -> FilesRuntime:
        storage = create_storage(settings)
        return cls(storage, Renditions(storage, settings))

    def start(self) -> None:
        sweep_spool(self.storage.spool_dir)

    async def close(self) -> None:
        await self.renditions.close()


FilesDep = Annotated[FilesRuntime, Depends(app_state("files"))]
