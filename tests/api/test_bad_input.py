"""Bad input gets a 400 with one line saying what to do, never a 500, with the cache on or off."""

import base64
import json

import pytest

from tests.conftest import SEED_SLUG

pytestmark = pytest.mark.django_db(transaction=True)


def cursor(*values) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


BAD = [
    ("/api/articles/?bogus=1", "Unknown query parameter 'bogus'"),
    ("/api/quotes/?speakr=donald-trump", "Unknown query parameter 'speakr'"),
    (f"/api/articles/{SEED_SLUG}/?limit=5", "Unknown query parameter 'limit'"),
    ("/api/articles/?limit=1000", "limit"),
    ("/api/articles/?limit=0", "limit"),
    ("/api/articles/?limit=ten", "limit"),
    ("/api/quotes/?limit=99999999999999999999999", "limit"),
    ("/api/articles/?cursor=zzz", "cursor"),
    ("/api/articles/?cursor=" + "a" * 500, "cursor"),
    ("/api/articles/?cursor=" + cursor("quotes:newest", "2025-01-01T00:00:00+00:00", 1, 1), "cursor"),
    ("/api/articles/?cursor=" + cursor("articles:newest", "yesterday", 1), "cursor"),
    ("/api/articles/?cursor=" + cursor("articles:newest", "2025-01-01T00:00:00", 1), "cursor"),
    ("/api/articles/?cursor=" + cursor("articles:newest", "2025-01-01T00:00:00+00:00", 2**70), "cursor"),
    ("/api/people/?cursor=" + cursor("people", "A\u0000", 1), "cursor"),
    ("/api/articles/?since=notadate", "since"),
    ("/api/quotes/?until=2025-13-45", "until"),
    ("/api/articles/?since=0001-01-01T00:00:00%2B01:00", "since"),
    ("/api/articles/?fields=nope", "no field 'nope'"),
    ("/api/articles/?fields=slug,,headline", "fields"),
    ("/api/articles/?include=body_html", "body_html"),
    ("/api/quotes/?q=%00", "q"),
    ("/api/quotes/?order=sideways", "order"),
    ("/api/quotes/?speaker=no%20spaces", "speaker"),
]


@pytest.fixture(params=["cache on", "cache off"])
def cache_setting(request, settings):
    if request.param == "cache off":
        from newsroom.settings import cache_from_url

        settings.CACHES = {"default": cache_from_url("dummy://")}


@pytest.mark.parametrize(("path", "names"), BAD)
def test_bad_input_is_a_400_with_a_one_line_message(http, newsroom, cache_setting, path, names):
    response = http.get(path)

    assert response.status_code == 400, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert names in detail
    assert "\n" not in detail and len(detail) < 300


def test_an_unknown_slug_is_a_404_with_a_message(http, newsroom):
    for path in ("/api/articles/no-such-story/", "/api/people/nobody/"):
        response = http.get(path)
        assert response.status_code == 404
        assert "slug" in response.json()["detail"]


def test_a_malformed_key_is_a_401_saying_how_to_send_one(http, newsroom):
    response = http.get("/api/articles/", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
