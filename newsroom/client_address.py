"""The address a request came from, as django-axes throttles login attempts by it."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """
    The address a login attempt came from. Behind ``PROXY_COUNT`` reverse proxies, each of which
    appends the address it got the request from to X-Forwarded-For, it is the entry that many
    places from the right; whatever stands to its left the client wrote itself, and a guesser
    could change it on every attempt. Without a proxy (or a usable entry), REMOTE_ADDR.
    """
    proxies = settings.PROXY_COUNT
    if proxies:
        forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies:
            try:
                return str(ipaddress.ip_address(forwarded[-proxies]))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR")
