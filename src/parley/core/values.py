"""Numbers, times and text from clients, bounded so that the server can compute with them.

A value Python or the database cannot hold (`to=9999-12-31T23:59:59` plus a margin,
`before=99999999999999999999`) was an OverflowError or a database range error, a 500.
Every such value enters through these types, and out of range is a client error."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, Field

from parley.core.schema import check_text

# The database's 32-bit INTEGER columns: seqs, positions.
MAX_INT32 = 2**31 - 1
# Far enough from Python's year 1 and 9999 that adding or subtracting days stays valid.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def utc_time(value: datetime) -> datetime:
    """`value` in UTC (a time without an offset is taken as UTC). ValueError outside
    [EARLIEST, LATEST): Pydantic reports it as a validation error."""
    try:
        utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError as exc:  # 0001-01-01T00:00+01:00 is in year 0
        raise ValueError("time out of range") from exc
    if not EARLIEST <= utc < LATEST:
        raise ValueError(f"time must be from {EARLIEST.year} to {LATEST.year - 1}")
    return utc


def parse_int32(text: str) -> int:
    """A non-negative decimal that fits the database's INTEGER; ValueError otherwise."""
    if not (text.isascii() and text.isdigit()) or len(text) > 10 or int(text) > MAX_INT32:
        raise ValueError(f"not an integer from 0 to {MAX_INT32}: {text[:20]!r}")
    return int(text)


# A UTC time between EARLIEST and LATEST, for query parameters and request bodies.
UTCTime = Annotated[datetime, AfterValidator(utc_time)]
# A non-negative INTEGER the database can store and compare.
Int32 = Annotated[int, Field(ge=0, le=MAX_INT32)]
# Text a query compares with stored text: no NUL (PostgreSQL refuses it), no lone surrogate.
Text = Annotated[str, AfterValidator(check_text)]
