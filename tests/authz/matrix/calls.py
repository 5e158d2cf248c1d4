"""Calls over HTTP (the signalling itself is socket frames: matrix/realtime.py)."""

from __future__ import annotations

from tests.authz.table import member_of, route, signed_in

SPECS = [
    route("GET", "/calls/ice-servers", signed_in()),
    # The group call of a conversation, for its members.
    route("GET", "/calls/meetings/{conversation_id}", member_of()),
]
