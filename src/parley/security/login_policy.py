"""Which counters a login attempt counts against, and when each lets the next one through.

Three counters, each a row in the database so that every node shares them:

- the *pair* (login name, source address): a few free failures, then waits of 1, 2, 4 …
  seconds, then a lock of `login_lock_seconds`. This is what stops a guesser, and it
  stops only them: the owner, signing in from elsewhere, is not concerned. Forgotten a
  day after its last counted attempt.
- the *source* address (an IPv6 address by its /64, which one subscriber usually holds
  whole): `login_source_limit` failures per window, whatever the names, against
  spraying one password over many accounts.
- the *account* (login name) from everywhere: `login_account_ceiling` failures per
  window, a hard ceiling against guessing spread over many addresses. Reaching it locks
  the account for the rest of the window and tells the administrators.

Counters are keyed by the login name as typed (lower-cased), never by whether an account
has it, so an unknown name is throttled exactly like a real one. Keys are hashed: a
mistyped login name is often a password.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from parley.config import Settings

PAIR_MEMORY = timedelta(days=1)
# `allowed_at` of a counter that imposes no wait. Not "now": attempts reach the database
# in another order than they read the clock, and one that read it a moment before the
# last writer must not be held back by that moment.
NO_WAIT = datetime(2000, 1, 1, tzinfo=UTC)

Kind = Literal["pair", "source", "account"]


@dataclass(frozen=True, slots=True)
class Bucket:
    """One counter. After `n` counted attempts the next one must wait the delay of the
    last step whose threshold `n` reaches (`steps` descending); the counter starts over
    `window` after its first attempt, or, when `sliding`, after its last."""

    kind: Kind
    key: str
    steps: tuple[tuple[int, timedelta], ...]
    window: timedelta
    sliding: bool

    def allowed_at(self, attempts: int, now: datetime) -> datetime:
        """When the attempt after `attempts` counted ones may be made."""
        wait = next((wait for k, wait in self.steps if attempts >= k), None)
        return now + wait if wait else NO_WAIT


def backoff(settings: Settings, attempts: int) -> timedelta:
    """The pair's wait after `attempts` failures: none, then 1, 2, 4 … s, then the lock."""
    if attempts < settings.login_slow_after:
        return timedelta(0)
    if attempts >= settings.login_lock_after:
        return timedelta(seconds=settings.login_lock_seconds)
    wait = 2 ** min(attempts - settings.login_slow_after, 40)
    return timedelta(seconds=min(wait, settings.login_lock_seconds))


def _pair_steps(settings: Settings) -> tuple[tuple[int, timedelta], ...]:
    """`backoff` as thresholds, stopping where it reaches the lock (at most ~20 steps)."""
    steps = [(settings.login_lock_after, backoff(settings, settings.login_lock_after))]
    lock = timedelta(seconds=settings.login_lock_seconds)
    for n in range(settings.login_slow_after, settings.login_lock_after):
        steps.append((n, backoff(settings, n)))
        if steps[-1][1] >= lock:
            break
    return tuple(sorted(steps, reverse=True))


def source_of(ip: str) -> str:
    """The address counters are keyed by: IPv4 as is, IPv6 by its /64."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip[:64]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _key(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def account_key(login: str) -> str:
    """The key of the counter of `login` from all addresses together (the ceiling)."""
    return _key("account", login.lower())


def buckets(settings: Settings, login: str, ip: str) -> list[Bucket]:
    """The counters an attempt for `login` from `ip` counts against."""
    name, source = login.lower(), source_of(ip)
    source_window = timedelta(seconds=settings.login_source_window_seconds)
    account_window = timedelta(seconds=settings.login_account_window_seconds)
    return [
        Bucket("pair", _key("pair", name, source), _pair_steps(settings), PAIR_MEMORY, True),
        Bucket(
            "source",
            _key("source", source),
            ((settings.login_source_limit, source_window),),
            source_window,
            False,
        ),
        Bucket(
            "account",
            account_key(name),
            ((settings.login_account_ceiling, account_window),),
            account_window,
            False,
        ),
    ]
