"""Opaque keyset cursors: the position of the last item shown. The server makes them, but
a client may send anything back, so each part is checked as a client value."""

from __future__ import annotations

import uuid
from datetime import datetime

from parley.core.errors import Invalid
from parley.core.values import parse_int32, utc_time


def encode_cursor(at: datetime, item_id: uuid.UUID) -> str:
    return f"{at.isoformat()}_{item_id}"


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    """A time and an id. The time must carry its offset, as every cursor made here does:
    a naive one cannot be compared with the stored times."""
    try:
        at, _, item_id = cursor.rpartition("_")
        when = datetime.fromisoformat(at)
        if when.tzinfo is None:
            raise ValueError("no time zone")
        return utc_time(when), uuid.UUID(item_id)
    except ValueError as exc:
        raise _malformed() from exc


def decode_int_pair(cursor: str) -> tuple[int, int]:
    """Two database integers, as `<int>.<int>`."""
    try:
        first, second = cursor.split(".")
        return parse_int32(first), parse_int32(second)
    except ValueError as exc:
        raise _malformed() from exc


def _malformed() -> Invalid:
    return Invalid("Malformed cursor.", code="invalid_cursor")
