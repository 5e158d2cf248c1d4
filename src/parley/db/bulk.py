"""Many rows in one INSERT statement on SQLite, bound without SQLAlchemy's per-row work.

Why: through SQLAlchemy an `executemany` builds a parameter dict per row, runs it
through the statement's per-row processing, and SQLite then resets and re-binds the
statement once per row. A multi-row `VALUES` list is one statement and one step for the
whole batch. Values are converted by each column type's own bind processor, so they are
stored exactly as SQLAlchemy stores them (bench/README.md, max send rate).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import TypeEngine

SQLITE_MAX_PARAMS = 32_766  # SQLITE_MAX_VARIABLE_NUMBER since SQLite 3.32

Processor = Callable[[Any], Any] | None


@functools.cache
def _sql(head: str, width: int, rows: int, tail: str) -> str:
    one = "(" + ",".join("?" * width) + ")"
    return f"{head} VALUES {','.join([one] * rows)} {tail}"


async def insert_values(
    session: AsyncSession,
    head: str,
    types: Sequence[TypeEngine[Any]],
    rows: Sequence[Sequence[Any]],
    tail: str = "",
) -> None:
    """`head VALUES (...), (...) tail` on SQLite for `rows`, each with one value per
    entry of `types`; `head` names the table and the columns (`INSERT INTO t (a, b)`)."""
    dialect = session.get_bind().dialect
    processors: list[Processor] = [t._cached_bind_processor(dialect) for t in types]
    conn = await session.connection()
    step = SQLITE_MAX_PARAMS // len(types)
    for start in range(0, len(rows), step):
        chunk = rows[start : start + step]
        params = tuple(
            p(v) if p is not None else v
            for row in chunk
            for p, v in zip(processors, row, strict=True)
        )
        await conn.exec_driver_sql(_sql(head, len(types), len(chunk), tail), params)
