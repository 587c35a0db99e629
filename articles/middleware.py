"""
Pages for when the server fails: a lost database becomes a short 503 page that asks readers to
retry, not a 500; and the 500 page itself. Neither needs the database, a context processor or
the session, which may be what failed.
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
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
        response = HttpResponse(render_to_string("503.html", {"site_name": settings.SITE_NAME}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


def server_error(request):
    """The 500 page (``handler500``), with the site's name."""
    return HttpResponseServerError(render_to_string("500.html", {"site_name": settings.SITE_NAME}))
