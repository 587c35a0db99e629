"""Cursor pages, from outside: every item once while stories are published, in either order, and by date."""

import datetime

import pytest
from django.utils import timezone

from api.models import ApiKey
from tests.factories import ArticleFactory, PersonFactory, QuoteFactory, SectionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def archive(api_limits):
    """Seven published stories a day apart, each quoting the same person twice."""
    section = SectionFactory(slug="world")
    speaker = PersonFactory(slug="ada", name="Ada")
    start = timezone.now() - datetime.timedelta(days=10)
    stories = []
    for day in range(7):
        article = ArticleFactory(
            slug=f"day-{day}",
            section=section,
            published_at=start + datetime.timedelta(days=day),
            body="First words.\n\nSecond words.",
        )
        QuoteFactory(article=article, speaker=speaker, text="First words.", order=1)
        QuoteFactory(article=article, speaker=speaker, text="Second words.", order=2)
        stories.append(article)
    return stories


def walk(http, path: str, **params) -> list[dict]:
    items, url = [], path
    while url:
        page = http.json(url, params=params)
        items += page["items"]
        url, params = (page["next"].removeprefix(http.base) if page["next"] else None), None
    return items


def test_walking_the_list_while_stories_are_published_gives_every_story_once(http, archive):
    first = http.json("/api/articles/", params={"limit": 3})
    assert [item["slug"] for item in first["items"]] == ["day-6", "day-5", "day-4"]

    ArticleFactory(slug="breaking", section=archive[0].section, published_at=timezone.now())
    rest = walk(http, first["next"].removeprefix(http.base))

    slugs = [item["slug"] for item in first["items"] + rest]
    assert slugs == [f"day-{day}" for day in range(6, -1, -1)]
    assert http.json("/api/articles/", params={"limit": 1})["items"][0]["slug"] == "breaking"


def test_quotes_page_by_article_and_order_newest_or_oldest(http, archive):
    newest = walk(http, "/api/quotes/", speaker="ada", limit=3)
    keys = [(quote["article"]["slug"], quote["order"]) for quote in newest]
    assert keys == [(f"day-{day}", order) for day in range(6, -1, -1) for order in (1, 2)]

    oldest = walk(http, "/api/quotes/", speaker="ada", limit=4, order="oldest")
    assert [(quote["article"]["slug"], quote["order"]) for quote in oldest] == list(reversed(keys))


def test_since_and_until_bound_the_publication_time(http, archive):
    since = archive[2].published_at.date().isoformat()
    until = archive[5].published_at.isoformat()
    slugs = [item["slug"] for item in walk(http, "/api/articles/", since=since, until=until)]
    assert slugs == ["day-4", "day-3", "day-2"]
    quotes = walk(http, "/api/quotes/", since=since, until=until, q="second")
    assert [quote["article"]["slug"] for quote in quotes] == ["day-4", "day-3", "day-2"]


def test_a_key_holder_walks_drafts_too_in_one_order(http, archive, editor):
    _key, secret = ApiKey.issue("Preview", editor)
    ArticleFactory(slug="a-draft", section=archive[0].section, status="draft", published_at=None)
    headers = {"Authorization": f"Bearer {secret}"}
    items, url, params = [], "/api/articles/", {"limit": 2}
    while url:
        page = http.json(url, params=params, headers=headers)
        items += page["items"]
        url, params = (page["next"].removeprefix(http.base) if page["next"] else None), None
    slugs = [item["slug"] for item in items]
    assert slugs[0] == "a-draft"  # begun just now: newest
    assert sorted(slugs) == sorted(["a-draft", *(f"day-{day}" for day in range(7))])
