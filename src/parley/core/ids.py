"""Time-ordered UUIDs (version 7), so primary keys index in creation order."""

from __future__ import annotations

import os
import time
import uuid


def new_id() -> uuid.UUID:
    ms = (time.time_ns() // 1_000_000) & ((1 << 48) - 1)
    rand = int.from_bytes(os.urandom(10), "big")
    rand_a = rand >> 68  # 12 bits
    rand_b = rand & ((1 << 62) - 1)
    return uuid.UUID(int=(ms << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b)
