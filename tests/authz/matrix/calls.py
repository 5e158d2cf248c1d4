"""Calls over HTTP (the signalling itself is socket frames: matrix/realtime.py)."""

from __future__ import annotations

from tests.authz.table import route, signed_in

SPECS = [
    route("GET", "/calls/ice-servers", signed_in()),
]
