"""
Pages for when the server fails: a lost database becomes a short 503 page that asks readers to
retry, not a 500; and the 500 page itself. Neither needs the database, a context processor or
the session, which may be what failed.
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable: %s", exception)
        # The page must not need the database: no context processors, no session.
        response = _failure_page("503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


def server_error(request):
    """The 500 page (``handler500``)."""
    return _failure_page("500.html", status=500)


def _failure_page(template: str, status: int) -> HttpResponse:
    # The site's name from the settings, not a context processor, which may query the database.
    return HttpResponse(render_to_string(template, {"site_name": settings.SITE_NAME}), status=status)
