"""
What each endpoint costs in queries: a handful, and the same whether its items carry a few
quotes, tags and people or many. The cache is off, so every query the endpoints make is counted.
"""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from api.models import ApiKey
from articles.models import Article, ArticleNote, Author, Person
from tests.conftest import scheduled_stories_looked_for
from tests.factories import ArticleFactory, PersonFactory, QuoteFactory, SectionFactory
from tests.public.pictures import make_image

pytestmark = pytest.mark.django_db

MAX_QUERIES = 8


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    scheduled_stories_looked_for(caches["default"])
    settings.API_RATE_LIMIT = 0


def build(size: int, users) -> None:
    """Three articles in one section, each with ``size`` quotes, tags, people, authors, notes and pictures."""
    section = SectionFactory(slug="world")
    picture = make_image(alt_text="A lead picture")
    for number in range(3):
        sentences = [f"Sentence {number} number {index} was said." for index in range(size)]
        body = "\n\n".join([*sentences, f"[[image:{picture.pk}]]"])
        article = ArticleFactory(slug=f"story-{number}", section=section, body=body, lead_image=picture)
        people = [PersonFactory(slug=f"person-{number}-{index}", portrait=picture) for index in range(size)]
        article.people.add(*people)
        article.tags.add(*[f"topic {index}" for index in range(size)])
        article.authors.add(
            *[
                Author.objects.get_or_create(
                    user=user, defaults={"display_name": user.username, "slug": user.username}
                )[0]
                for user in users[:size]
            ]
        )
        for index, text in enumerate(sentences):
            QuoteFactory(article=article, speaker=people[index % len(people)], text=text, order=index + 1)
            ArticleNote.objects.create(article=article, text=f"Correction {index}.")


ENDPOINTS = {
    "articles": "/api/articles/?include=body,quotes,people,corrections",
    "article": "/api/articles/story-1/",
    "quotes": "/api/quotes/?limit=100",
    "quotes on a tag": "/api/quotes/?tag=topic-0&section=world",
    "people": "/api/people/?limit=100",
    "person": "/api/people/person-1-0/",
    "sections": "/api/sections/",
    "tags": "/api/tags/?limit=100",
    "authors": "/api/authors/",
}


def costs(client, headers=None) -> dict[str, int]:
    counts = {}
    for name, url in ENDPOINTS.items():
        with CaptureQueriesContext(connection) as context:
            response = client.get(url, headers=headers or {})
        assert response.status_code == 200, (url, response.content)
        assert response.json(), url
        counts[name] = len(context.captured_queries)
    return counts


@pytest.fixture
def users(django_user_model):
    return [django_user_model.objects.create_user(f"writer{index}") for index in range(12)]


@pytest.mark.parametrize("with_key", [False, True], ids=["anyone", "with a key"])
def test_each_endpoint_costs_the_same_few_queries_however_many_relations(client, users, with_key, editor):
    headers = None
    if with_key:
        headers = {"Authorization": f"Bearer {ApiKey.issue('Preview', editor)[1]}"}
        client.get("/api/sections/", headers=headers)  # its use is recorded once a minute, now
    build(2, users)
    small = costs(client, headers)

    Article.objects.all().delete()
    Person.objects.all().delete()
    Tag.objects.all().delete()
    build(12, users)
    large = costs(client, headers)

    assert large == small
    assert max(large.values()) <= MAX_QUERIES, large
