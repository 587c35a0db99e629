"""
What keeps pages and the admin usable at an archive's size: bounded pagination, change lists
whose queries do not grow with their rows, counts from statistics, indexes, the Redis client.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Person, Quote
from articles.search import update_search_documents
from newsroom.paging import BoundedPaginator, LargeTablePaginator
from public import views
from tests.factories import ArticleFactory, PersonFactory, SectionFactory
from tests.html_tree import parse_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


def many_articles(count: int, yesterday, **fields) -> list[Article]:
    section = fields.pop("section", None) or SectionFactory(slug="world")
    return Article.objects.bulk_create(
        ArticleFactory.build(
            section=section, published_at=yesterday - datetime.timedelta(minutes=n), **fields
        )
        for n in range(count)
    )


# Pagination that counts only a few pages ahead


def test_a_list_is_counted_only_a_few_pages_past_the_page_shown(yesterday):
    many_articles(30, yesterday)
    paginator = BoundedPaginator(Article.objects.published(), per_page=2, lookahead=5)

    with CaptureQueriesContext(connection) as context:
        page = paginator.get_page(1)
        assert paginator.count == 12

    assert paginator.truncated and paginator.num_pages == 6
    assert page.has_next()
    assert "LIMIT 13" in context.captured_queries[0]["sql"]


def test_later_pages_count_further_and_the_last_page_is_exact(yesterday):
    many_articles(30, yesterday)

    assert BoundedPaginator(Article.objects.all(), per_page=2, lookahead=5).get_page(8).paginator.count == 26
    last = BoundedPaginator(Article.objects.all(), per_page=2, lookahead=5).get_page(15)
    assert (last.number, last.paginator.count, last.paginator.truncated) == (15, 30, False)
    assert not last.has_next()


def test_pages_stop_at_the_most_there_can_be(yesterday):
    many_articles(30, yesterday)
    paginator = BoundedPaginator(Article.objects.all(), per_page=2, lookahead=5, max_pages=4)

    page = paginator.get_page(9)

    assert (page.number, paginator.num_pages, paginator.truncated) == (4, 4, True)


def test_a_long_section_says_there_are_more_pages(client, yesterday):
    many_articles(130, yesterday)

    nav = parse_html(client.get("/sections/world/").content).find("nav", class_="pagination")

    assert "Page 1 of 6+" in nav.text
    assert nav.find("a", rel="next").attrs["href"] == "?page=2"


def test_a_short_section_counts_its_pages_exactly(client, yesterday):
    many_articles(45, yesterday)

    nav = parse_html(client.get("/sections/world/?page=3").content).find("nav", class_="pagination")

    assert "Page 3 of 3" in nav.text and "+" not in nav.text


def test_a_broad_search_says_there_are_more_results(client, yesterday, monkeypatch):
    monkeypatch.setattr("articles.search.RESULT_PAGES", 2)
    many_articles(45, yesterday, headline="Harbour news")
    update_search_documents(Article.objects.all())  # bulk_create sends no signals

    page = parse_html(client.get("/search/?q=harbour").content)

    assert "40+ articles" in page.find("p", class_="search-summary").text


# The admin's change lists


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:articles_article_changelist",
        "admin:articles_person_changelist",
        "admin:articles_quote_changelist",
    ],
)
def test_change_lists_make_the_same_queries_for_ten_rows_or_a_hundred(editor_client, yesterday, url_name):
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert editor_client.get(reverse(url_name)).status_code == 200
        return len(context.captured_queries)

    def add(count):
        people = Person.objects.bulk_create(PersonFactory.build_batch(count))
        articles = many_articles(count, yesterday, body="The first paragraph.")
        Quote.objects.bulk_create(
            Quote(article=article, speaker=person, text="The first paragraph.", order=1)
            for article, person in zip(articles, people, strict=True)
        )

    add(10)
    few = queries()
    add(90)
    assert queries() == few


def test_the_people_list_counts_each_persons_quotes_and_articles(editor_client, yesterday):
    speaker = PersonFactory(name="Ada Lovelace")
    for number in range(3):
        article = ArticleFactory(body="The first paragraph.", published_at=yesterday)
        article.people.add(speaker)
        Quote.objects.create(article=article, speaker=speaker, text="The first paragraph.", order=number)
    Quote.objects.create(article=article, speaker=speaker, text="The first paragraph.", order=9)

    response = editor_client.get(reverse("admin:articles_person_changelist"), {"o": "4"})

    (person,) = response.context["cl"].result_list
    assert (person.quote_count, person.article_count) == (4, 3)


def test_a_small_table_is_counted_exactly(yesterday):
    many_articles(5, yesterday)
    assert LargeTablePaginator(Article.objects.all(), 100).count == 5


# Indexes the public queries need


def test_the_public_lists_have_their_indexes():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Article._meta.db_table)
        links = connection.introspection.get_constraints(cursor, Article.people.through._meta.db_table)
        quotes = connection.introspection.get_constraints(cursor, Quote._meta.db_table)
        people = connection.introspection.get_constraints(cursor, Person._meta.db_table)
    indexed = {tuple(info["columns"]) for info in constraints.values() if info["index"]}
    assert ("status", "published_at", "created_at") in indexed
    assert ("section_id", "status", "published_at", "created_at") in indexed
    assert ("slug",) in {tuple(info["columns"]) for info in constraints.values() if info["unique"]}
    assert ("person_id", "article_id") in {tuple(info["columns"]) for info in links.values() if info["index"]}
    assert ("speaker_id", "article_id") in {
        tuple(info["columns"]) for info in quotes.values() if info["index"]
    }
    assert ("name", "slug") in {tuple(info["columns"]) for info in people.values() if info["index"]}


# The Redis cache backend


def test_the_redis_backend_keeps_one_client_per_server():
    from newsroom.settings import cache_from_url
    from pagecache.redis_backend import RedisCache

    config = cache_from_url("redis://127.0.0.1:6379/15")
    assert config["BACKEND"] == "pagecache.redis_backend.RedisCache"
    cache = RedisCache(config["LOCATION"], {})
    cache.set("newsroom-test", {"page": 1})  # Redis runs on 127.0.0.1:6379 (.ci/run starts it)

    assert cache.get("newsroom-test") == {"page": 1}
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    cache.delete("newsroom-test")


def test_the_people_page_counts_a_persons_quotes_only_so_far(client, yesterday, monkeypatch):
    # A head of state may have thousands: the page reads a hundred and one of them, at most.
    monkeypatch.setattr(views, "QUOTES_COUNTED", 3)
    article = ArticleFactory(body="The first paragraph.", published_at=yesterday)
    for slug, quotes in (("many", 5), ("exactly", 3)):
        speaker = PersonFactory(name=slug.title(), slug=slug)
        for number in range(quotes):
            Quote.objects.create(
                article=article, speaker=speaker, text="The first paragraph.", order=len(slug) * 10 + number
            )

    tree = parse_html(client.get("/people/").content)
    counts = {
        item.find("a").text: item.find("span", class_="count").text
        for item in tree.find("ul", class_="person-index").find_all("li")
    }

    assert counts["Many"] == "3+ quotes"
    assert counts["Exactly"] == "3 quotes"
