"""
The API tested from outside: pytest-django's live server (a real HTTP server in this process) and
a real HTTP client. The seed story is published; beside it are planted a draft, a scheduled and a
withdrawn story, each with a speaker, a tag and an author nobody published, whose slugs and words
must never reach an anonymous client.
"""

import datetime

import pytest
import requests
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Author
from tests.conftest import SEED_SLUG
from tests.factories import ArticleFactory, PersonFactory, QuoteFactory

# Every name planted in unpublished content; none may appear in an anonymous answer.
HIDDEN = {
    "draft": "hidden-draft-story",
    "scheduled": "hidden-scheduled-story",
    "withdrawn": "hidden-withdrawn-story",
}
HIDDEN_MARKS = (
    *HIDDEN.values(),
    "hidden-speaker",
    "hidden-tag",
    "hidden-author",
    "Unpublished words nobody may read",
)


@pytest.fixture
def api_limits(settings):
    """No rate limit unless a test sets one: tests send hundreds of requests from one address."""
    settings.API_RATE_LIMIT = 0
    return settings


@pytest.fixture
def newsroom(transactional_db, api_limits, make_staff):
    """The seed story, published, and the planted unpublished stories."""
    call_command("loaddata", "seed", verbosity=0)
    seed = Article.objects.get(slug=SEED_SLUG)
    writer = make_staff("hidden-author", "Reporter").author
    speaker = PersonFactory(name="Hidden Speaker", slug="hidden-speaker")
    body = "## Unpublished\n\nUnpublished words nobody may read."
    when = {
        "draft": ("draft", None),
        "scheduled": ("published", timezone.now() + datetime.timedelta(days=3)),
        "withdrawn": ("withdrawn", timezone.now() - datetime.timedelta(days=3)),
    }
    for kind, slug in HIDDEN.items():
        status, published_at = when[kind]
        article = ArticleFactory(
            slug=slug,
            headline=f"Hidden {kind}",
            body=body,
            status=status,
            published_at=published_at,
            section=seed.section,
        )
        article.tags.add("hidden-tag")
        article.authors.add(writer)
        article.people.add(speaker)
        QuoteFactory(article=article, speaker=speaker, text="Unpublished words nobody may read.", order=1)
    assert not Author.objects.public().filter(slug="hidden-author").exists()
    return seed


class Client:
    """requests against the live server, with paths relative to it."""

    def __init__(self, base: str):
        self.base = base
        self.session = requests.Session()

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.session.get(self.base + path, timeout=30, **kwargs)

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.session.request(method, self.base + path, timeout=30, **kwargs)

    def json(self, path: str, **kwargs):
        response = self.get(path, **kwargs)
        assert response.status_code == 200, (path, response.status_code, response.text)
        return response.json()


@pytest.fixture
def http(live_server):
    client = Client(live_server.url)
    yield client
    # A kept-alive connection would keep the server's thread, and its database connection, open.
    client.session.close()


def assert_nothing_hidden(text: str) -> None:
    found = [mark for mark in HIDDEN_MARKS if mark in text]
    assert not found, f"unpublished content in an anonymous answer: {found}"
