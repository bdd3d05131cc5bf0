"""The address of the person behind a request, for everything that counts or limits by address:
the request forms' rate limit (django-ratelimit), the sign-in locks (django-axes), the password
reset throttle and the reCAPTCHA check.

Behind a proxy, ``REMOTE_ADDR`` is the proxy's address: every patient would share one rate limit,
and five wrong passwords would lock an account for everyone. Each proxy appends the address it
received the request from to ``X-Forwarded-For``, after whatever the client sent, and the client
can write anything there. So the header is believed only when the request came from a trusted
proxy (``REMOTE_ADDR`` in ``TRUSTED_PROXY_ADDRESSES``), and then only the address
``TRUSTED_PROXY_COUNT`` places from its right: the one the outermost trusted proxy wrote, never
one the client forged to the left of it."""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from ipware import get_client_ip

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# What an address is when none can be known (REMOTE_ADDR empty and no proxy trusted): one
# shared, valid address, so that the rate limit and the sign-in locks still work.
UNKNOWN = "0.0.0.0"


def client_address(request: HttpRequest) -> str:
    """The client's address: from ``X-Forwarded-For`` when a trusted proxy passed the request
    on, otherwise ``REMOTE_ADDR``. Also the callable that django-ratelimit
    (``RATELIMIT_IP_META_KEY``) and django-axes (``AXES_CLIENT_IP_CALLABLE``) are given."""
    peer = request.META.get("REMOTE_ADDR") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count < 1 or not is_trusted_proxy(peer):
        return peer or UNKNOWN
    # The client is the Nth address from the right (N proxies each appended one). django-ipware
    # counts the proxies after the client in the header, which is one fewer: the last proxy's
    # own address is REMOTE_ADDR, not in the header.
    forwarded = forwarded_address(request, proxies_after_client=count - 1)
    if forwarded is None and count > 1:
        # Fewer addresses than proxies: the request skipped the outer ones (it came straight to
        # the inner proxy). The address the innermost proxy wrote is the one that connected to
        # it, and it is the only one it vouches for.
        forwarded = forwarded_address(request, proxies_after_client=0)
    return forwarded or peer or UNKNOWN


def forwarded_address(request: HttpRequest, proxies_after_client: int) -> str | None:
    """The address ``proxies_after_client + 1`` places from the right of ``X-Forwarded-For``,
    or None when the header is missing, has fewer addresses, or that one is not a usable
    client address (unspecified, multicast, reserved)."""
    address, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=proxies_after_client,
        # Only the header the proxies append to: X-Real-IP, Forwarded and the CDN headers that
        # django-ipware also reads could come straight from the client.
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        # A malformed address the client put at the left must not make the whole header
        # unreadable (the client would then share the proxy's address with everyone else).
        strict=False,
        algorithm="modern",
    )
    return address


def is_trusted_proxy(peer: str) -> bool:
    """Whether the immediate peer is one of ``TRUSTED_PROXY_ADDRESSES``. An empty peer is a Unix
    socket, which only processes on this machine can connect to: the proxy in front."""
    if not peer:
        return True
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    networks = trusted_networks(tuple(settings.TRUSTED_PROXY_ADDRESSES))
    # Membership across IP versions is simply False.
    return any(address in network for network in networks)


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """``TRUSTED_PROXY_ADDRESSES`` (addresses or CIDR networks) as networks, parsed once."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"DJANGO_TRUSTED_PROXY_ADDRESSES: {entry!r} is neither an address nor a network."
            ) from error
    return tuple(networks)
