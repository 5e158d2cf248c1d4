"""The authorisation matrix (issue 15): every route and socket frame type, asked by every
kind of caller about their own and others' objects, against a real server on SQLite and
PostgreSQL. The table is tests/authz/matrix/; docs/authorization.md explains it."""

from __future__ import annotations

import asyncio

import pytest

from tests.authz.coverage import missing_and_stale
from tests.authz.matrix import SPECS
from tests.authz.runner import outcome
from tests.authz.table import Spec
from tests.authz.world import World


def test_every_route_and_frame_has_rows() -> None:
    missing, stale = missing_and_stale()
    assert not missing, f"no rows in tests/authz/matrix/ for: {sorted(missing)}"
    assert not stale, f"rows for routes or frames that do not exist: {sorted(stale)}"


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.method} {s.path}")
async def test_matrix(world: World, spec: Spec) -> None:
    rows = spec.rows()
    got = await asyncio.gather(*(outcome(world, row) for row in rows))
    wrong, fixed = [], []
    for row, out in zip(rows, got, strict=True):
        if row.xfail and out != row.expected:
            continue
        if row.xfail:
            fixed.append(f"  {row.label}: now {out} as expected; drop its xfail ({row.xfail})")
        elif out != row.expected:
            wrong.append(f"  {row.label}: expected {row.expected}, got {out}")
    assert not wrong and not fixed, f"{spec.method} {spec.path}\n" + "\n".join(wrong + fixed)
