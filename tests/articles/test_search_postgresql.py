"""
Search internals that only PostgreSQL has: the stored, weighted, GIN-indexed documents.
This module runs in the PostgreSQL test run (DATABASE_URL=postgres://…); see conftest.py.
"""

import datetime

import psycopg
import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from articles.models import Article, ArticleSearchDocument
from articles.search import ranked_article_ids
from tests.articles.test_search import result_slugs, search
from tests.factories import ArticleFactory, QuoteFactory
from tests.html_tree import parse_html

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _results_as_made(settings):
    """The search's results as it makes them (the response's context); caching them is tests/pagecache's."""
    settings.PAGE_CACHE = False


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


@pytest.fixture
def search_documents_locked(db):
    """
    Another connection holds the search documents' table locked, as a long write would: a search
    waits on it until its statement timeout ends it. The test must not have written to the table.
    """
    settings_dict = connection.settings_dict
    other = psycopg.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"],
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or None,
    )
    other.execute("SET lock_timeout = '5s'")
    other.execute(f"LOCK TABLE {ArticleSearchDocument._meta.db_table} IN ACCESS EXCLUSIVE MODE")
    with connection.cursor() as cursor:
        # Without a statement timeout the search would wait for ever: a failed test, not a hung one.
        cursor.execute("SET LOCAL lock_timeout = '5s'")  # until the test's transaction ends
    yield
    other.rollback()
    other.close()


def test_a_search_that_runs_out_of_time_is_a_503_page_saying_what_to_do(
    client, settings, search_documents_locked
):
    settings.SEARCH_STATEMENT_TIMEOUT_MS = 200
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        before = cursor.fetchone()[0]

    response = client.get("/search/", {"q": "harbour"})

    assert response.status_code == 503
    page = parse_html(response.content)
    assert len(page.find_all("h1")) == 1
    problem = page.find("p", class_="search-problem").text
    assert "too much of the archive" in problem
    assert "Make it narrower" in problem
    assert page.find("input", id="search-page-q").attrs["value"] == "harbour"
    assert "no-cache" in response["Cache-Control"]  # never kept as the page for this query
    # The time limit ended with the search: the connection is usable and its timeout as it was.
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == before


def test_a_query_matching_many_articles_is_ranked_among_the_newest(client, now, monkeypatch):
    monkeypatch.setattr("articles.search.RANKED_MATCHES", 3)
    oldest = ArticleFactory(published_at=now - datetime.timedelta(days=30), headline="Harbour")
    newer = [
        ArticleFactory(
            published_at=now - datetime.timedelta(hours=hours), headline="News", body="The harbour."
        )
        for hours in range(1, 4)
    ]

    response = search(client, "harbour")
    assert oldest.slug not in result_slugs(response)  # the best match, but not among the newest three
    assert result_slugs(response) == [article.slug for article in newer]
    assert "3 articles" in parse_html(response.content).find("p", class_="search-summary").text
