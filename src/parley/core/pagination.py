"""Opaque keyset cursors: a timestamp and an id, the position of the last item shown."""

from __future__ import annotations

import uuid
from datetime import datetime

from parley.core.errors import Invalid


def encode_cursor(at: datetime, item_id: uuid.UUID) -> str:
    return f"{at.isoformat()}_{item_id}"


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        at, _, item_id = cursor.rpartition("_")
        return datetime.fromisoformat(at), uuid.UUID(item_id)
    except ValueError as exc:
        raise Invalid("Malformed cursor.", code="invalid_cursor") from exc
