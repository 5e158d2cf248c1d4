"""Back-off after failed logins: free tries, then exponential waits, then a lock."""

from __future__ import annotations

from datetime import datetime, timedelta

from parley.config import Settings


def next_allowed_at(
    settings: Settings, failures: int, last_failure: datetime | None
) -> datetime | None:
    """When the next attempt may be made, or None if it may be made now."""
    if last_failure is None or failures < settings.login_slow_after:
        return None
    if failures >= settings.login_lock_after:
        return last_failure + timedelta(seconds=settings.login_lock_seconds)
    wait = 2 ** (failures - settings.login_slow_after)
    return last_failure + timedelta(seconds=min(wait, settings.login_lock_seconds))
