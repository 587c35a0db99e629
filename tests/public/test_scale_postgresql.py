"""Counting big tables from PostgreSQL's statistics; runs in the PostgreSQL test run (see conftest.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from newsroom import paging
from newsroom.paging import LargeTablePaginator
from tests.public.test_scale import many_articles

pytestmark = pytest.mark.django_db


def test_an_unfiltered_big_table_is_counted_from_statistics(yesterday, monkeypatch):
    many_articles(5, yesterday)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    monkeypatch.setattr(paging, "ESTIMATE_ABOVE", 2)

    with CaptureQueriesContext(connection) as context:
        assert LargeTablePaginator(Article.objects.all(), 100).count == 5
    assert "reltuples" in context.captured_queries[0]["sql"]
    assert "COUNT" not in " ".join(query["sql"] for query in context.captured_queries)
    assert LargeTablePaginator(Article.objects.filter(status="draft"), 100).count == 0
