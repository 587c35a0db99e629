"""
The per-client rate limit (api.middleware), by real requests: 429 with Retry-After past the
limit, counted by address or by key, for cached answers too; and a cache that fails to count
lets requests through.
"""

import datetime

import pytest
import time_machine
from django.utils import timezone

from api.models import ApiKey
from newsroom.settings import cache_from_url
from tests.conftest import SEED_SLUG
from tests.pagecache.test_cache_faults import own_redis  # noqa: F401  (a Redis of this test's own)

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLE = f"/api/articles/{SEED_SLUG}/"
LIMIT = 5


@pytest.fixture(params=["local memory", "Redis"])
def counting_cache(request):
    """Counted in one process's memory, and in Redis as in production."""
    if request.param == "Redis":
        request.getfixturevalue("redis_cache")


@pytest.fixture
def limited(newsroom, settings, counting_cache):
    """A limit of five a minute, clients told apart by one proxy's X-Forwarded-For, early in a minute."""
    settings.API_RATE_LIMIT = LIMIT
    settings.PROXY_COUNT = 1
    start = (timezone.now() + datetime.timedelta(minutes=2)).replace(second=5, microsecond=0)
    with time_machine.travel(start, tick=True):
        yield


def client(address: str) -> dict:
    return {"X-Forwarded-For": address}


def test_a_client_past_the_limit_gets_429_with_retry_after_and_others_are_served(http, limited):
    answers = [http.get(ARTICLE, headers=client("203.0.113.7")) for _ in range(LIMIT + 1)]

    assert [answer.status_code for answer in answers] == [200] * LIMIT + [429]
    refused = answers[-1]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "at most 5 a minute" in refused.json()["detail"]
    assert refused.headers["Cache-Control"] == "no-store"
    # A browser on another site can read the refusal.
    from_a_browser = http.get(ARTICLE, headers={**client("203.0.113.7"), "Origin": "https://partner.example"})
    assert from_a_browser.status_code == 429 and from_a_browser.headers["Access-Control-Allow-Origin"] == "*"
    # Cached answers are counted too: the article was in the cache after the first request.
    assert http.get("/api/articles/", headers=client("203.0.113.7")).status_code == 429
    assert http.get(ARTICLE, headers=client("198.51.100.2")).status_code == 200


def test_the_limit_ends_with_its_minute(http, limited):
    for _ in range(LIMIT):
        http.get(ARTICLE, headers=client("203.0.113.7"))
    assert http.get(ARTICLE, headers=client("203.0.113.7")).status_code == 429

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=60), tick=True):
        assert http.get(ARTICLE, headers=client("203.0.113.7")).status_code == 200


def test_a_key_counts_under_the_key_not_the_address(http, limited, editor):
    _key, secret = ApiKey.issue("Preview app", editor)
    for _ in range(LIMIT):
        http.get(ARTICLE, headers=client("203.0.113.7"))
    assert http.get(ARTICLE, headers=client("203.0.113.7")).status_code == 429

    with_key = {**client("203.0.113.7"), "Authorization": f"Bearer {secret}"}
    assert [http.get(ARTICLE, headers=with_key).status_code for _ in range(LIMIT + 1)] == [200] * LIMIT + [
        429
    ]


def test_guessing_keys_is_refused_after_a_few_tries(http, limited, settings):
    settings.API_RATE_LIMIT = 1000
    guesses = [
        http.get(
            ARTICLE, headers={**client("203.0.113.9"), "Authorization": f"Bearer nrk_guess{n}"}
        ).status_code
        for n in range(12)
    ]
    assert guesses[:10] == [401] * 10
    assert guesses[10:] == [429, 429]
    # The address may still read without a key.
    assert http.get(ARTICLE, headers=client("203.0.113.9")).status_code == 200


@pytest.mark.parametrize("fault", ["refusing writes", "stopped"])
def test_a_cache_that_cannot_count_lets_requests_through(http, newsroom, settings, own_redis, fault):  # noqa: F811
    settings.API_RATE_LIMIT = 2
    settings.CACHES = {"default": cache_from_url(own_redis.url)}
    if fault == "refusing writes":
        own_redis.refuse_writes()
    else:
        own_redis.stop()

    answers = [http.get(ARTICLE) for _ in range(4)]

    assert [answer.status_code for answer in answers] == [200] * 4
    assert answers[-1].json()["slug"] == SEED_SLUG


def test_a_limit_of_zero_is_no_limit(http, newsroom, settings):
    settings.API_RATE_LIMIT = 0
    assert {http.get("/api/sections/").status_code for _ in range(10)} == {200}
