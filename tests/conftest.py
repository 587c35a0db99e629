import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import ArticleFactory

SEED_SLUG = "what-did-trump-and-putin-discuss-in-their-recent-call"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def yesterday(now):
    return now - datetime.timedelta(days=1)


@pytest.fixture
def tomorrow(now):
    return now + datetime.timedelta(days=1)


@pytest.fixture
def seed(db):
    """The seed article, loaded from fixtures/seed.json as an operator would."""
    call_command("loaddata", "seed", verbosity=0)
    from articles.models import Article

    return Article.objects.get(slug=SEED_SLUG)


@pytest.fixture
def published_article(db, yesterday):
    return ArticleFactory(published_at=yesterday)


@pytest.fixture
def draft_article(db):
    return ArticleFactory(status="draft", published_at=None)
