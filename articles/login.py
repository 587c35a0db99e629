"""
Logging in to the admin: the login form, and the address django-axes throttles attempts by.
"""

import ipaddress

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest


class AdminLoginForm(AdminAuthenticationForm):
    """
    A username no account can have is a form error, before anything looks it up. Django's login
    form does not check the username's length, and django-axes records every failed attempt's
    username in a 255-character column: on PostgreSQL a longer one was a 500.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


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
