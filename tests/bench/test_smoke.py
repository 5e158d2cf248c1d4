"""Each benchmark scenario, tiny: real `parley serve` processes, real sockets, the bench's
own loss / duplicate / order checks. Correctness only; timings belong to bench/README.md."""

from __future__ import annotations

from typing import Any

import pytest
import uvloop

from bench import storm_phases
from bench.runner import run
from bench.scenarios import SCENARIOS, Options
from tests.services import require_postgres, require_redis

SMOKE: dict[str, Options] = {
    "steady": Options(scale=0.03, duration=2, workers=1, quiet=0.5),
    "max": Options(scale=0.03, duration=1, workers=1, rates=[40], quiet=0.5),
    "fanout": Options(scale=0.006, duration=1, workers=1, quiet=0.5, hold=0.2),
    "connections": Options(scale=0.004, workers=2, quiet=0.5, hold=0.2),
    "storm": Options(scale=0.01, workers=1),
    "catchup": Options(scale=0.03, workers=1),
}


def _run(name: str, backend: str = "sqlite", nodes: int = 1) -> dict[str, Any]:
    plan = SCENARIOS[name](SMOKE[name])
    return uvloop.run(run(plan, backend, nodes, argon2="fast", save=False))


def _assert_exact(summary: dict[str, Any]) -> None:
    assert summary["lost"] == 0, summary
    assert summary["duplicated"] == 0, summary
    assert summary["out_of_order"] == 0, summary


@pytest.mark.parametrize("name", ["steady", "max", "fanout", "connections"])
def test_live_scenario_delivers_every_acked_message_once_in_order(name: str) -> None:
    s = _run(name)["summary"]
    _assert_exact(s)
    assert s["connected"] == s["clients"] > 0
    assert s["acked"] > 0
    assert s["deliveries"] >= s["acked"]  # every message reaches at least its sender
    assert s["errors"] == 0, s["error_samples"]
    assert "server_errors" not in s, s["server_errors"]


@pytest.mark.parametrize("name", ["storm", "catchup"])
def test_sync_scenario_returns_exactly_the_missed_messages(name: str) -> None:
    s = _run(name)["summary"]
    _assert_exact(s)
    assert s["failed"] == 0, s["failure_samples"]
    assert s["clients"] > 0 and s["events"] > 0


def test_storm_phases_charges_every_step_of_a_client() -> None:
    """Every step ran and answered 200 (the tool raises otherwise); 1,000 missed entries
    a client come in two pages of 500, like the storm's."""
    per_client = uvloop.run(storm_phases.measure(3, scale=0.01))
    assert list(per_client) == ["login", "socket", "sync page 1", "sync page 2", "close"]


def test_two_nodes_deliver_across_nodes() -> None:
    require_postgres()
    require_redis()
    s = _run("steady", "postgres", 2)["summary"]
    _assert_exact(s)
    assert s["connected"] == s["clients"] > 0
    assert s["errors"] == 0, s["error_samples"]
