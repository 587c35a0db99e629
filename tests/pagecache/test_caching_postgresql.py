"""
Cache rules that involve PostgreSQL's stored search documents; this module runs in the
PostgreSQL test run (see conftest.py).
"""

import pytest
from django.core.management import call_command

from articles.models import Article
from tests.pagecache.test_caching import story, text  # noqa: F401 - story is a fixture

pytestmark = pytest.mark.django_db


def test_update_search_documents_drops_cached_search_pages(client, story):  # noqa: F811
    assert "Talks resume" not in text(client, "/search/?q=lighthouse")
    Article.objects.filter(pk=story.pk).update(headline="Lighthouse news")  # sends no signal

    call_command("update_search_documents", verbosity=0)

    assert "Lighthouse news" in text(client, "/search/?q=lighthouse")
