"""The synthetic archive for measuring the site: made up, marked, deterministic, written in bulk."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from articles.models import Article, ArticleSearchDocument, Person, Quote, Section
from articles.quoting import first_missing_words
from articles.search import find_articles
from synthetic.synthetic import LABEL, SyntheticArchive
from tests.factories import ArticleFactory, QuoteFactory
from tests.html_tree import parse_html

pytestmark = pytest.mark.django_db


def generate(*args, **options):
    out = io.StringIO()
    call_command("generate_archive", *args, stdout=out, **options)
    return out.getvalue()


def synthetic_articles():
    return Article.objects.filter(slug__startswith="synthetic-")


def test_the_archive_is_made_of_marked_sections_people_tags_and_articles():
    output = generate("--articles", "60", "--seed", "3")

    articles = synthetic_articles()
    assert articles.count() == Article.objects.count() == 60
    assert "60 articles" in output
    assert set(articles.values_list("byline", flat=True)) == {LABEL}
    assert all(name.endswith("(synthetic)") for name in Section.objects.values_list("name", flat=True))
    assert all(slug.startswith("synthetic-") for slug in Person.objects.values_list("slug", flat=True))
    assert all(slug.startswith("synthetic-") for slug in Tag.objects.values_list("slug", flat=True))
    assert all(person.alias_list == [person.name.split()[-1]] for person in Person.objects.all())
    assert all("not a real person" in bio for bio in Person.objects.values_list("bio", flat=True))


def test_the_archive_spreads_over_years_with_drafts_withdrawals_and_a_scheduled_article(now):
    generate("--articles", "250", "--years", "5")
    articles = synthetic_articles()

    published = articles.published()
    assert 240 <= published.count() < 250
    first, last = published.earliest().published_at, published.latest().published_at
    assert (last - first).days > 4 * 365
    assert articles.filter(status="draft", published_at=None).exists()
    assert articles.filter(status="withdrawn").exists()
    assert articles.filter(status="published", published_at__gt=now).count() == 1
    assert articles.filter(authors__isnull=False).exists()
    assert articles.filter(notes__isnull=False).exists()


def test_every_quote_is_in_its_article_word_for_word_and_said_by_someone_it_names():
    generate("--articles", "40")

    quotes = Quote.objects.select_related("article", "speaker")
    assert quotes.count() >= 80
    for quote in quotes:
        assert first_missing_words(quote.text, quote.article.body) == ""
        assert quote.speaker in quote.article.people.all()
        quote.full_clean()


def test_a_synthetic_article_page_marks_its_quotes_and_links_its_people(client):
    generate("--articles", "30")
    article = synthetic_articles().published().prefetch_related("people").first()

    page = parse_html(client.get(article.get_absolute_url()).content)

    body = page.find("div", class_="article-body")
    assert len(body.find_all("q", class_="quote")) == article.quotes.count()
    mentioned = {link.attrs["href"] for link in body.find_all("a", class_="mention")}
    assert mentioned == {person.get_absolute_url() for person in article.people.all()}


def archive_contents():
    return list(synthetic_articles().order_by("slug").values_list("slug", "headline", "body", "published_at"))


def test_the_same_seed_makes_the_same_archive_and_another_seed_another():
    generate("--articles", "30", "--seed", "7", "--until", "2026-01-01")
    first = archive_contents()

    generate("--articles", "30", "--seed", "7", "--until", "2026-01-01", "--replace")
    assert archive_contents() == first

    generate("--articles", "30", "--seed", "8", "--until", "2026-01-01", "--replace")
    assert archive_contents() != first


def test_people_and_tags_depend_on_the_seed_and_their_number_not_on_the_articles():
    few, many = (
        SyntheticArchive(40, seed=2, people=30, tags=12),
        SyntheticArchive(5000, seed=2, people=30, tags=12),
    )
    assert (few.people, few.tags) == (many.people, many.tags)
    assert SyntheticArchive(40, seed=3, people=30).people != few.people


def test_an_existing_archive_is_kept_unless_replace_is_given():
    generate("--articles", "20")

    with pytest.raises(CommandError, match="--replace"):
        generate("--articles", "20")

    generate("--articles", "25", "--replace")
    assert synthetic_articles().count() == 25
    assert Section.objects.count() == 6


def test_replacing_the_archive_leaves_real_content_alone(yesterday):
    real = ArticleFactory(slug="real-story", published_at=yesterday)
    real.tags.add("Real topic")
    generate("--articles", "20")

    generate("--articles", "10", "--replace")

    assert Article.objects.filter(slug="real-story").exists()
    assert Tag.objects.filter(name="Real topic").exists()
    assert synthetic_articles().count() == 10


def test_an_archive_that_real_content_quotes_is_not_deleted(yesterday):
    generate("--articles", "20")
    real = ArticleFactory(slug="real-story", body="He said: yes.", published_at=yesterday)
    QuoteFactory(article=real, speaker=Person.objects.first(), text="yes", order=1)

    with pytest.raises(CommandError, match="Real content uses synthetic people"):
        generate("--articles", "20", "--replace")

    assert synthetic_articles().count() == 20


def test_a_dry_run_says_what_it_would_make_and_writes_nothing():
    output = generate("--articles", "50", "--dry-run")

    assert "would make" in output and "50 articles" in output
    assert not Article.objects.exists() and not Person.objects.exists()


def test_the_archive_is_written_in_bulk_not_row_by_row():
    with CaptureQueriesContext(connection) as context:
        generate("--articles", "120", "--batch-size", "500")
    inserts = [query for query in context.captured_queries if query["sql"].startswith("INSERT")]

    rows = Article.objects.count() + Quote.objects.count() + Article.people.through.objects.count()
    assert rows > 800
    # One INSERT per table (a few more where SQLite caps the parameters of a statement).
    assert len(inserts) <= 20


def test_search_documents_are_filled_in_one_go():
    generate("--articles", "30")
    if connection.vendor != "postgresql":
        assert not ArticleSearchDocument.objects.exists()  # SQLite searches the articles themselves
        return
    assert ArticleSearchDocument.objects.filter(document__isnull=False).count() == 30
    article = synthetic_articles().published().first()
    surname = article.headline.split()[0]
    assert article in find_articles(surname)


def test_the_archive_names_its_telling_pages_and_they_are_public(client):
    generate("--articles", "40")

    urls = json.loads(generate("--urls"))

    assert set(urls) == {"article", "front", "person", "tag", "section", "search", "search-broad"}
    for url in urls.values():
        assert client.get(url).status_code == 200, url


def test_asking_for_the_pages_of_no_archive_is_an_error():
    with pytest.raises(CommandError, match="no published synthetic archive"):
        generate("--urls")
