"""
Search internals that only PostgreSQL has: the stored, weighted, GIN-indexed documents.
This module runs in the PostgreSQL test run (DATABASE_URL=postgres://…); see conftest.py.
"""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from articles.models import Article, ArticleSearchDocument
from articles.search import ranked_article_ids
from tests.factories import ArticleFactory, QuoteFactory
from tests.test_search import result_slugs, search

pytestmark = pytest.mark.django_db


def test_the_stored_document_weights_headline_over_dek_and_quotes_over_body(yesterday):
    article = ArticleFactory(
        published_at=yesterday, headline="Harbour", dek="Lighthouse", body="Anchor and “seagull”."
    )  # positions: harbour 1, lighthouse 2, the quote 3, then the body
    QuoteFactory(article=article, text="seagull")

    document = ArticleSearchDocument.objects.get(article=article).document
    assert "'harbour':1A" in document
    assert "'lighthous':2B" in document
    assert "'seagul':3B" in document  # the quote, weighted with the standfirst
    assert "'anchor':4C" in document
    assert "'seagul':3B,6C" in document  # the quote's words are in the body too


def test_the_stored_document_follows_changes_to_the_article_and_its_quotes(client, yesterday):
    article = ArticleFactory(
        published_at=yesterday, headline="Harbour news", dek="", body="A “seagull” landed."
    )
    assert result_slugs(search(client, "harbour")) == [article.slug]

    article.headline = "Lighthouse news"
    article.save()
    assert result_slugs(search(client, "harbour")) == []
    assert result_slugs(search(client, "lighthouse")) == [article.slug]

    quote = QuoteFactory(article=article, text="seagull")
    assert "'seagul':3B,5C" in ArticleSearchDocument.objects.get(article=article).document
    quote.delete()
    assert "'seagul':4C" in ArticleSearchDocument.objects.get(article=article).document


def test_the_stored_documents_have_gin_indexes(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE indexdef LIKE '%USING gin%' ORDER BY tablename"
        )
        indexes = dict(cursor.fetchall())
    assert "(document)" in indexes["articles_articlesearchdocument"]
    assert "to_tsvector('english'::regconfig" in indexes["articles_quote"]


def test_update_search_documents_rebuilds_documents_that_bulk_changes_left_behind(client, yesterday):
    article = ArticleFactory(published_at=yesterday, headline="Harbour news")
    type(article).objects.filter(pk=article.pk).update(headline="Lighthouse news")  # sends no signal
    assert result_slugs(search(client, "lighthouse")) == []

    call_command("update_search_documents", verbosity=0)

    assert result_slugs(search(client, "lighthouse")) == [article.slug]


def test_search_follows_an_article_through_publication_scheduling_and_withdrawal(client, yesterday, tomorrow):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None, headline="Harbour news")
    assert result_slugs(search(client, "harbour")) == []

    article.status, article.published_at = Article.Status.PUBLISHED, yesterday
    article.save()
    assert result_slugs(search(client, "harbour")) == [article.slug]

    article.status = Article.Status.WITHDRAWN
    article.save()
    assert result_slugs(search(client, "harbour")) == []

    article.status, article.published_at = Article.Status.PUBLISHED, tomorrow
    article.save()
    assert result_slugs(search(client, "harbour")) == []
    with time_machine.travel(tomorrow + datetime.timedelta(minutes=1)):
        assert result_slugs(search(client, "harbour")) == [article.slug]


def test_a_search_document_left_behind_by_a_bulk_change_never_shows_a_private_article(client, yesterday):
    article = ArticleFactory(published_at=yesterday, headline="Harbour news")
    Article.objects.filter(pk=article.pk).update(status=Article.Status.WITHDRAWN)  # sends no signal
    assert ArticleSearchDocument.objects.published().filter(article=article).exists()

    assert result_slugs(search(client, "harbour")) == []


def test_ranking_reads_the_search_documents_alone(yesterday):
    # A common word matches thousands of articles: ranking them must not join the articles.
    sql = str(ranked_article_ids("harbour").query)

    assert ArticleSearchDocument._meta.db_table in sql
    assert f'"{Article._meta.db_table}"' not in sql
