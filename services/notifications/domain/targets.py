"""Where webhooks may point: public addresses only, unless configuration allows a private network (SSRF)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(ValueError):
    pass


def host_and_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused("a webhook URL is http:// or https:// with a host")
    if parts.username or parts.password:
        raise TargetRefused("a webhook URL carries no credentials; it is signed instead")
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def refuse_private(address: Address, allowed: Iterable[Network]) -> None:
    """Refuse loopback, private, link-local (cloud metadata), multicast, reserved and unspecified
    addresses, unless an allowed network of the configuration contains the address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if any(address in network for network in allowed):
        return
    if not address.is_global or address.is_multicast:
        raise TargetRefused(f"{address} is not a public address (loopback, private, link-local or reserved)")
