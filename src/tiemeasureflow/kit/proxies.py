"""Which peers are our reverse proxies, and the end user's address behind them.

Standard library only: the station client (which loads no server module) uses it too.
"""

from __future__ import annotations

from ipaddress import ip_address
from typing import Any


def is_trusted(address: str, networks: list[Any]) -> bool:
    """Whether the address lies in one of the trusted proxy networks (an unparsable address never does)."""
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def end_user_address(peer: str, forwarded_for: str, networks: list[Any]) -> str:
    """The nearest hop of X-Forwarded-For that is not one of our proxies (the peer when none is usable).

    Call it only when the peer itself is trusted: an untrusted peer's header is the client's own word.
    """
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    # Walk from the nearest hop; the first address we do not trust is the client.
    for hop in reversed(hops):
        if not is_trusted(hop, networks):
            return hop if _valid(hop) else peer
    # Every hop is one of ours: the client is the first of them.
    return hops[0] if hops and _valid(hops[0]) else peer


def _valid(address: str) -> bool:
    try:
        ip_address(address)
    except ValueError:
        return False
    return True
