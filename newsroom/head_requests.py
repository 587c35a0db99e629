"""
Answers to HEAD requests without a body. Django makes the page as for a GET and leaves dropping
the body to the server; gunicorn drops it but logs a warning for each one, which monitoring that
sends HEAD every few seconds turns into a flood.
"""

from django.http import HttpRequest, HttpResponse


class HeadWithoutBodyMiddleware:
    """First in MIDDLEWARE: the body goes last, after every layer below has used it (ETag, cache)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method == "HEAD" and not response.streaming:
            # The length a GET would have, as HEAD promises.
            response.setdefault("Content-Length", str(len(response.content)))
            response.content = b""
        return response
