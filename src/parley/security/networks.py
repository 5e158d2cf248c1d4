"""Address ranges an action is allowed from (PARLEY_ADMIN_ALLOWED_NETWORKS): a stolen
administrator session is of no use outside the office or VPN ranges listed."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=32)
def _parsed(cidrs: tuple[str, ...]) -> tuple[_Network, ...]:
    return tuple(ipaddress.ip_network(c, strict=False) for c in cidrs)


def allowed_from(cidrs: list[str], address: str) -> bool:
    """Whether `address` (the client's, as the server sees it) lies in one of `cidrs`; any
    address when none are listed, none that cannot be parsed when some are."""
    if not cidrs:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip in network for network in _parsed(tuple(cidrs)))
