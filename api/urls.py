"""
The API under /api/: Django Ninja's endpoints, each marked a public page (pagecache.pages), so
anonymous clients' answers are cached, and dropped when what they show changes, exactly as
readers' pages are; and the schema (/api/openapi.json) and its docs (/api/docs).
"""

import functools

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

from api.content import Viewer
from api.endpoints import KEYS, READS, api
from pagecache.pages import public_page


def _answer(view):
    """
    An endpoint as clients get it. HEAD is answered as GET (newsroom.head_requests drops the
    body). A key-holder's answer may hold drafts: private, never stored. Every answer varies with
    Authorization, so no shared cache gives one client's answer to another.
    """

    @functools.wraps(view)
    def answer(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        try:
            response = view(request, *args, **kwargs)
        finally:
            if head:
                request.method = "HEAD"
        patch_vary_headers(response, ["Authorization"])
        viewer = getattr(request, "auth", None)
        if isinstance(viewer, Viewer) and viewer.sees_unpublished:
            patch_cache_control(response, private=True, no_store=True)
        if response.status_code == 401:
            response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    return answer


app_name = "api"
urlpatterns = api.urls[0]
for _pattern in urlpatterns:
    _pattern.callback = public_page(
        _answer(_pattern.callback), reads=READS.get(_pattern.name, ()), keys=KEYS.get(_pattern.name, ())
    )
