"""Time-limited TURN credentials (the TURN REST API scheme, as coturn's `use-auth-secret`
checks them): the browser gets a username that carries its expiry and a password derived
from the shared secret, never the secret itself."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from typing import Any

from parley.config import Settings


def turn_credential(secret: str, user_id: str, expires: int) -> tuple[str, str]:
    """username = "<expiry unix time>:<user>", password = base64(HMAC-SHA1(secret, username))."""
    username = f"{expires}:{user_id}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode()


def ice_servers(settings: Settings, user_id: str, now: datetime) -> dict[str, Any]:
    """What a browser passes to RTCPeerConnection({iceServers, iceTransportPolicy}) for the
    next call."""
    servers: list[dict[str, Any]] = []
    if settings.call_stun_urls:
        servers.append({"urls": list(settings.call_stun_urls)})
    ttl = settings.call_turn_ttl_seconds
    if settings.call_turn_urls and settings.call_turn_secret:
        username, password = turn_credential(
            settings.call_turn_secret, user_id, int(now.timestamp()) + ttl
        )
        servers.append(
            {"urls": list(settings.call_turn_urls), "username": username, "credential": password}
        )
    # "relay": the browser offers and uses only TURN relay candidates, so all media passes
    # through the organisation's TURN server and no local address is revealed.
    policy = "relay" if settings.call_relay_only else "all"
    return {"ice_servers": servers, "ttl_seconds": ttl, "ice_transport_policy": policy}
