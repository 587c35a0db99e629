"""Who a request comes from: anyone, or a preview app sending its key as ``Authorization: Bearer …``."""

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from api.content import ANYONE, Viewer
from api.models import ApiKey


class PreviewKey(HttpBearer):
    """
    A key an editor issued (api.models). A request with no Authorization header is anyone's; one
    with a header that is not a live key is refused, never quietly answered as anyone's, so that
    a preview app with a revoked key learns it at once.
    """

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization")
        if header is None:
            return None
        scheme, _, key = header.partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise AuthenticationError(401, "Send an API key as “Authorization: Bearer <key>”, or no header.")
        return self.authenticate(request, key.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Viewer:
        key = ApiKey.objects.holding(token) if "\x00" not in token else None
        if key is None:
            raise AuthenticationError(401, "This API key is unknown or revoked: ask an editor for a new one.")
        key.record_use()
        return Viewer(key=key)


def anyone(request: HttpRequest) -> Viewer:
    return ANYONE
