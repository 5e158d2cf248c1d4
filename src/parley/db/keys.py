"""Statements over many keys at once, in a few fixed shapes.

Batch statements (look up a batch's memberships, allocate the seqs of its conversations)
take one term per key. Built anew for each batch size they would fill SQLAlchemy's
statement cache with hundreds of large variants - compiled trees that the garbage
collector then walks on every full collection (seen: 250 ms pauses of the whole node). So
the number of terms is rounded up to a power of two and the extra slots repeat the last
key, which changes nothing in an OR or a CASE: at most nine shapes per statement."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import and_, bindparam, or_
from sqlalchemy.sql.elements import ColumnElement

T = TypeVar("T")


def slots(n: int) -> int:
    """The number of terms a statement for `n` keys has: the next power of two."""
    return 1 << max(0, n - 1).bit_length()


def padded(keys: Sequence[T]) -> list[T]:
    """`keys` filled up to `slots(len(keys))` by repeating the last one."""
    return [*keys, *[keys[-1]] * (slots(len(keys)) - len(keys))]


def any_key(
    columns: Sequence[ColumnElement[Any]],
    n: int,
    compare: Sequence[Callable[[Any, Any], ColumnElement[bool]]] = (),
) -> ColumnElement[bool]:
    """`(a = :k0_0 AND b = :k0_1) OR (a = :k1_0 ...)` for `n` keys: one index lookup per
    key on both backends (SQLite scans the table for a row-value `IN (VALUES ...)`).
    `compare` gives each column's operator instead of `=` (e.g. `operator.gt` for
    "seq after the cursor"): padding repeats a whole key, so any operator stays exact."""
    ops = [*compare, *[operator.eq] * (len(columns) - len(compare))]
    terms = list(enumerate(zip(columns, ops, strict=True)))
    return or_(
        *(and_(*(op(col, bindparam(f"k{i}_{j}")) for j, (col, op) in terms)) for i in range(n))
    )


def key_params(keys: Sequence[Sequence[Any]]) -> dict[str, Any]:
    """Bind values for `any_key(columns, len(keys))`."""
    return {f"k{i}_{j}": value for i, key in enumerate(keys) for j, value in enumerate(key)}
