"""The pure parts of the login throttle: which address a counter is keyed by, and the
waits the pair counter imposes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from parley.config import Settings
from parley.security.login_policy import NO_WAIT, backoff, buckets, source_of


def test_an_ipv6_subscriber_is_one_source_and_mapped_ipv4_is_ipv4() -> None:
    assert source_of("2001:db8:1:2:aaaa::1") == source_of("2001:db8:1:2:ffff::9")
    assert source_of("2001:db8:1:2::1") != source_of("2001:db8:1:3::1")
    assert source_of("::ffff:192.0.2.7") == source_of("192.0.2.7") == "192.0.2.7"
    assert source_of("not an address") == "not an address"


def test_the_pair_waits_double_then_lock() -> None:
    settings = Settings(login_slow_after=3, login_lock_after=10, login_lock_seconds=900)
    pair = next(b for b in buckets(settings, "Alice", "192.0.2.7") if b.kind == "pair")
    now = datetime(2026, 12, 3, tzinfo=UTC)
    waits = [pair.allowed_at(n, now) for n in range(1, 12)]
    assert waits[:2] == [NO_WAIT, NO_WAIT]
    assert [w - now for w in waits[2:]] == [
        timedelta(seconds=s) for s in (1, 2, 4, 8, 16, 32, 64, 900, 900)
    ]
    assert [backoff(settings, n) for n in range(3, 12)] == [w - now for w in waits[2:]]


def test_counters_follow_the_name_as_typed_and_the_address() -> None:
    settings = Settings()
    same = buckets(settings, "Alice", "192.0.2.7"), buckets(settings, "alice", "192.0.2.7")
    assert [b.key for b in same[0]] == [b.key for b in same[1]]
    elsewhere = {b.kind: b.key for b in buckets(settings, "alice", "198.51.100.1")}
    here = {b.kind: b.key for b in same[0]}
    assert here["account"] == elsewhere["account"]
    assert here["pair"] != elsewhere["pair"] and here["source"] != elsewhere["source"]
