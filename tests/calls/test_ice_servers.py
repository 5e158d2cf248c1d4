"""TURN credentials by the TURN REST API scheme, checked the way coturn checks them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

import pytest

from tests.helpers import Server, create_user, problem, setup_admin

SECRET = "coturn-static-auth-secret"


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {
        "call_stun_urls": ["stun:turn.example.test:3478"],
        "call_turn_urls": ["turn:turn.example.test:3478?transport=udp"],
        "call_turn_secret": SECRET,
        "call_turn_ttl_seconds": 600,
    }


def coturn_accepts(username: str, password: str, secret: str, now: float) -> bool:
    """coturn with `use-auth-secret`: the username's timestamp must lie in the future and
    the password must be base64(HMAC-SHA1(secret, username))."""
    expiry = int(username.split(":", 1)[0])
    expected = base64.b64encode(
        hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    ).decode()
    return expiry > now and hmac.compare_digest(expected, password)


async def test_ice_servers_hand_out_short_lived_turn_credentials(server: Server) -> None:
    admin = await setup_admin(server)
    alice = await create_user(admin, "alice")
    r = await alice.get("/calls/ice-servers")
    assert r.status_code == 200, r.text
    body = r.json()
    stun, turn = body["ice_servers"]
    assert stun == {"urls": ["stun:turn.example.test:3478"]}
    assert turn["urls"] == ["turn:turn.example.test:3478?transport=udp"]
    assert SECRET not in r.text
    assert body["ice_transport_policy"] == "all"  # PARLEY_CALL_RELAY_ONLY is off
    username, password = turn["username"], turn["credential"]
    assert username.endswith(f":{alice.user_id}")
    now = time.time()
    assert now < int(username.split(":")[0]) <= now + 600 + 5
    assert coturn_accepts(username, password, SECRET, now)
    # Expired, or signed with another secret, coturn refuses it.
    assert not coturn_accepts(username, password, SECRET, now + 601)
    assert not coturn_accepts(username, password, "another-secret", now)
    # Tampering with the user or the expiry breaks the signature.
    forged = f"{int(now) + 86400}:{alice.user_id}"
    assert not coturn_accepts(forged, password, SECRET, now)


async def test_ice_servers_need_a_login(server: Server) -> None:
    r = await server.client().get("/calls/ice-servers")
    problem(r, 401, "unauthorized")
