"""
Anonymous answers are cached and dropped exactly as readers' pages are (pagecache), by real
requests to the live server with the cache on: in this process's memory, and in Redis as in
production. A publish, a withdrawal or an edit shows on the next request.
"""

import pytest
from django.utils import timezone

from api.models import ApiKey
from articles import workflow
from articles.models import Article
from tests.api.conftest import HIDDEN
from tests.conftest import SEED_SLUG

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLE = f"/api/articles/{SEED_SLUG}/"


@pytest.fixture(autouse=True, params=["local memory", "Redis"])
def page_cache(request):
    if request.param == "Redis":
        request.getfixturevalue("redis_cache")


def test_an_answer_comes_from_the_cache_until_the_content_changes(http, newsroom):
    first = http.json(ARTICLE)
    # Changed without a signal (as a bulk update in a shell): the cached answer stays.
    Article.objects.filter(pk=newsroom.pk).update(headline="Changed behind the cache's back")
    assert http.json(ARTICLE)["headline"] == first["headline"]

    newsroom.refresh_from_db()
    newsroom.headline = "An edited headline"
    newsroom.save()

    assert http.json(ARTICLE)["headline"] == "An edited headline"
    assert http.json("/api/articles/")["items"][0]["headline"] == "An edited headline"


def test_publishing_and_withdrawing_show_at_once(http, newsroom, editor):
    draft = Article.objects.get(slug=HIDDEN["draft"])
    assert HIDDEN["draft"] not in http.get("/api/articles/").text
    assert http.get("/api/quotes/?speaker=hidden-speaker").json()["items"] == []

    workflow.apply(editor, draft, "publish")

    assert http.json("/api/articles/")["items"][0]["slug"] == HIDDEN["draft"]
    assert http.json(f"/api/articles/{HIDDEN['draft']}/")["status"] == "published"
    assert http.json("/api/quotes/?speaker=hidden-speaker")["items"]

    workflow.apply(editor, draft, "withdraw")

    assert HIDDEN["draft"] not in http.get("/api/articles/").text
    assert http.get(f"/api/articles/{HIDDEN['draft']}/").status_code == 404
    assert http.get("/api/quotes/?speaker=hidden-speaker").json()["items"] == []


def test_a_scheduled_article_appears_at_its_time(http, newsroom):
    scheduled = Article.objects.get(slug=HIDDEN["scheduled"])
    assert HIDDEN["scheduled"] not in http.get("/api/articles/").text
    # Its time comes: moved into the past by an update that sends no signal, as time passing would.
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - timezone.timedelta(seconds=1)
    )
    from pagecache.purges import content_changed

    content_changed()  # what the first request after the scheduled time does (pagecache.purges)
    assert http.json("/api/articles/")["items"][0]["slug"] == HIDDEN["scheduled"]


def test_answers_carry_validators_and_answer_conditional_requests_with_304(http, newsroom):
    http.get(ARTICLE)
    response = http.get(ARTICLE)
    assert response.status_code == 200
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    assert "public" in response.headers["Cache-Control"]
    assert "Authorization" in response.headers["Vary"]

    again = http.get(ARTICLE, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""
    since = http.get(ARTICLE, headers={"If-Modified-Since": response.headers["Last-Modified"]})
    assert since.status_code == 304

    newsroom.headline = "Edited after the client's copy"
    newsroom.save()
    changed = http.get(ARTICLE, headers={"If-None-Match": response.headers["ETag"]})
    assert changed.status_code == 200 and changed.json()["headline"] == "Edited after the client's copy"


def test_the_cache_keeps_one_copy_whatever_the_order_of_the_parameters(http, newsroom):
    one = http.get("/api/quotes/", params=[("speaker", "donald-trump"), ("limit", "2")])
    other = http.get("/api/quotes/", params=[("limit", "2"), ("speaker", "donald-trump")])
    assert one.json() == other.json()
    assert one.headers["ETag"] == other.headers["ETag"]


def test_a_key_holders_answers_are_private_and_never_cached(http, newsroom, editor):
    _key, secret = ApiKey.issue("Preview app", editor)
    bearer = {"Authorization": f"Bearer {secret}"}
    anonymous = http.get("/api/articles/").json()  # the anonymous answer is in the cache now

    with_key = http.get("/api/articles/", headers=bearer)

    assert with_key.status_code == 200
    assert {"private", "no-store"} <= {part.strip() for part in with_key.headers["Cache-Control"].split(",")}
    slugs = {item["slug"] for item in with_key.json()["items"]}
    assert slugs >= {*HIDDEN.values(), SEED_SLUG}
    # Neither answer reached the other's client.
    assert http.get("/api/articles/").json() == anonymous
    assert {item["slug"] for item in http.get("/api/articles/", headers=bearer).json()["items"]} == slugs


def test_cors_lets_browsers_on_other_sites_read_the_api_only(http, newsroom):
    origin = {"Origin": "https://partner.example"}
    answer = http.get("/api/articles/", headers=origin)
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in answer.headers["Access-Control-Expose-Headers"]

    preflight = http.request(
        "OPTIONS",
        "/api/quotes/",
        headers={
            **origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert preflight.status_code == 200
    assert set(preflight.headers["Access-Control-Allow-Methods"].replace(" ", "").split(",")) == {
        "GET",
        "HEAD",
        "OPTIONS",
    }
    assert "authorization" in preflight.headers["Access-Control-Allow-Headers"].lower()

    assert "Access-Control-Allow-Origin" not in http.get(f"/articles/{SEED_SLUG}/", headers=origin).headers
