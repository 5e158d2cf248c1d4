"""The authorisation matrix: one file per domain, each a list `SPECS` of routes and frame
types with their policy (tests/authz/table.py). A new route or frame adds its rows in its
domain's file (or a new file listed here); tests/authz/test_matrix.py fails until it does."""

from __future__ import annotations

from tests.authz.matrix import (
    admin,
    calls,
    departments,
    files,
    groups,
    guests,
    messages,
    org,
    realtime,
    roles,
    system,
    users,
)
from tests.authz.table import Spec

MODULES = (
    org,
    users,
    roles,
    admin,
    departments,
    guests,
    groups,
    messages,
    files,
    calls,
    system,
    realtime,
)
SPECS: list[Spec] = [spec for module in MODULES for spec in module.SPECS]
BY_KEY: dict[tuple[str, str], Spec] = {spec.key: spec for spec in SPECS}
assert len(BY_KEY) == len(SPECS), "a route or frame is listed twice"
