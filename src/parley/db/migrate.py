"""Apply Alembic migrations programmatically (`parley migrate`, `parley serve`, tests)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from alembic import command
from alembic.config import Config

from parley.config import Settings
from parley.db.engine import sqlite_path

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(settings: Settings) -> None:
    """Bring the schema to the newest revision. Blocking.

    Alembic's environment runs its own event loop, so it runs on a thread of its own:
    callable from plain code and from inside a running loop alike."""
    path = sqlite_path(settings.database_url) if settings.is_sqlite else None
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(1) as pool:
        pool.submit(command.upgrade, alembic_config(settings.database_url), "head").result()
