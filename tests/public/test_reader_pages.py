"""Related stories, the quotes page, pagination everywhere, fixed query counts, page structure."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver

from public.related import more_from_section, related_articles
from tests.conftest import SEED_SLUG
from tests.factories import ArticleFactory, PersonFactory, QuoteFactory, SectionFactory
from tests.html_tree import parse_html

pytestmark = pytest.mark.django_db


def card_slugs(element) -> list[str]:
    return [
        card.find("a").attrs["href"].split("/")[2] for card in element.find_all("h3", class_="card-headline")
    ]


@pytest.fixture
def story(yesterday):
    """A published story with two people and two tags, in the World section."""
    world = SectionFactory(name="World", slug="world")
    article = ArticleFactory(slug="story", section=world, published_at=yesterday)
    putin, peskov = PersonFactory(slug="putin"), PersonFactory(slug="peskov")
    article.people.add(putin, peskov)
    article.tags.add("Ukraine", "Ceasefire")
    return article


def test_related_stories_rank_shared_people_above_shared_tags(story, now):
    putin, peskov = story.people.order_by("slug").reverse()
    hours = iter(range(1, 100))

    def published(**fields):
        return ArticleFactory(published_at=now - datetime.timedelta(hours=next(hours)), **fields)

    both_people = published(slug="both-people")
    both_people.people.add(putin, peskov)
    one_person_one_tag = published(slug="person-and-tag")
    one_person_one_tag.people.add(putin)
    one_person_one_tag.tags.add("Ukraine")
    both_tags = published(slug="both-tags")
    both_tags.tags.add("Ukraine", "Ceasefire")
    one_tag = published(slug="one-tag")
    one_tag.tags.add("Ceasefire")
    published(slug="unrelated").tags.add("Sport")
    hidden = ArticleFactory(status="draft", published_at=None, slug="draft")
    hidden.people.add(putin, peskov)

    related = [article.slug for article in related_articles(story, limit=10)]

    # Shared people count twice: 2 people (4) > 1 person + 1 tag (3) > 2 tags (2) > 1 tag (1).
    assert related == ["both-people", "person-and-tag", "both-tags", "one-tag"]


def test_more_from_the_section_leaves_out_the_story_and_what_is_shown_already(story, yesterday):
    also_related = ArticleFactory(section=story.section, published_at=yesterday, slug="related")
    other = ArticleFactory(section=story.section, published_at=yesterday, slug="other")
    ArticleFactory(published_at=yesterday, slug="elsewhere")

    assert more_from_section(story, exclude=[also_related]) == [other]


def test_the_article_page_shows_related_stories_and_more_from_the_section(client, story, yesterday):
    related = ArticleFactory(published_at=yesterday, slug="related")
    related.tags.add("Ukraine")
    ArticleFactory(section=story.section, published_at=yesterday, slug="same-section")

    page = parse_html(client.get("/articles/story/").content)

    aside = page.find("aside", class_="read-next")
    assert card_slugs(aside.find("section", **{"aria-labelledby": "related-heading"})) == ["related"]
    assert card_slugs(aside.find("section", **{"aria-labelledby": "more-heading"})) == ["same-section"]


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def add_related_articles(story, yesterday, count):
    for _ in range(count):
        article = ArticleFactory(section=story.section, published_at=yesterday)
        article.people.add(*story.people.all())
        article.tags.add("Ukraine")
        QuoteFactory(article=article)


def test_the_article_page_makes_as_many_queries_with_many_related_stories_as_with_one(
    client, story, yesterday
):
    add_related_articles(story, yesterday, 1)
    with_one = count_queries(client, "/articles/story/")
    add_related_articles(story, yesterday, 12)
    # The article; its tags, people, notes, authors and quotes (with their speakers); the
    # masthead's sections; related stories, more from the section and both lists' bylines.
    assert count_queries(client, "/articles/story/") == with_one == 10


def test_related_stories_take_two_queries(story, yesterday, django_assert_num_queries):
    from public.related import more_from_section, related_articles

    add_related_articles(story, yesterday, 6)
    story = type(story).objects.prefetch_related("people", "tags").get(pk=story.pk)
    with django_assert_num_queries(2):
        more_from_section(story, exclude=related_articles(story))


def queries_reading_the_body(client, path) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in queries if '"articles_article"."body"' in query["sql"]]


@pytest.mark.parametrize(
    "path", ["/", "/sections/world/", "/tags/ukraine/", "/people/putin/", "/authors/rita/", "/quotes/"]
)
def test_lists_of_cards_do_not_read_the_article_bodies(client, story, reporter, path):
    # Cards show a headline, standfirst, section and date; a body is a hundred times longer.
    story.authors.add(reporter.author)
    QuoteFactory(article=story, speaker=story.people.get(slug="putin"))

    assert queries_reading_the_body(client, path) == []


def test_the_article_page_reads_only_its_own_body(client, story, yesterday):
    add_related_articles(story, yesterday, 6)

    (query,) = queries_reading_the_body(client, "/articles/story/")
    assert "'story'" in query  # the article's own slug


def test_the_quotes_page_lists_the_latest_quotes_with_speaker_and_article(client, now):
    older = ArticleFactory(published_at=now - datetime.timedelta(days=2), body="“Old words” here.")
    newer = ArticleFactory(published_at=now - datetime.timedelta(hours=1), body="“New words” here.")
    hidden = ArticleFactory(status="draft", published_at=None, body="“Secret words”.")
    speaker = PersonFactory(name="Karoline Leavitt", slug="karoline-leavitt")
    QuoteFactory(article=older, speaker=speaker, text="Old words")
    QuoteFactory(article=newer, speaker=speaker, text="New words")
    QuoteFactory(article=hidden, speaker=speaker, text="Secret words")

    page = parse_html(client.get("/quotes/").content)

    cards = page.find_all("figure", class_="quote-card")
    assert [card.find("blockquote").text for card in cards] == ["“New words”", "“Old words”"]
    assert (
        cards[0].find("span", class_="quote-speaker").find("a").attrs["href"] == "/people/karoline-leavitt/"
    )
    assert cards[0].find("a", class_="quote-source").attrs["href"].startswith(newer.get_absolute_url())


@pytest.mark.parametrize("number", ["2", "0", "-1", "abc", "1.5", "999"])
def test_a_page_number_that_is_not_a_page_of_the_list_is_not_found(client, yesterday, number):
    article = ArticleFactory(published_at=yesterday, section=SectionFactory(slug="world"))
    QuoteFactory(article=article, speaker=PersonFactory(slug="envoy"))

    for url, param in [
        ("/quotes/", "page"),
        ("/people/", "page"),
        ("/sections/world/", "page"),
        ("/people/envoy/", "quotes"),
        ("/people/envoy/", "articles"),
    ]:
        assert client.get(url, {param: number}).status_code == 404, (url, param)
        assert client.get(url, {param: "1"}).status_code == 200, (url, param)


def test_an_empty_list_has_its_first_page(client):
    assert client.get("/quotes/").status_code == 200
    assert client.get("/quotes/", {"page": "1"}).status_code == 200


def test_a_person_page_paginates_quotes_and_articles_separately(client, yesterday):
    person = PersonFactory(slug="envoy")
    for number in range(23):
        article = ArticleFactory(published_at=yesterday - datetime.timedelta(minutes=number))
        article.people.add(person)
        QuoteFactory(article=article, speaker=person)

    first = parse_html(client.get("/people/envoy/").content)
    assert len(first.find_all("figure", class_="quote-card")) == 20
    assert len(first.find_all("h3", class_="card-headline")) == 20
    quotes_nav = first.find("nav", **{"aria-label": "Pages of quotes"})
    assert quotes_nav.find("a", rel="next").attrs["href"] == "?quotes=2#quotes-heading"

    both = parse_html(client.get("/people/envoy/", {"quotes": 2, "articles": 2}).content)
    assert len(both.find_all("figure", class_="quote-card")) == 3
    assert len(both.find_all("h3", class_="card-headline")) == 3
    articles_nav = both.find("nav", **{"aria-label": "Pages of articles"})
    assert articles_nav.find("a", rel="prev").attrs["href"] == "?quotes=2#articles-heading"


def test_the_person_page_makes_as_many_queries_for_many_quotes_as_for_one(client, yesterday):
    person = PersonFactory(slug="envoy")

    def add(count):
        for _ in range(count):
            article = ArticleFactory(published_at=yesterday)
            article.people.add(person)
            QuoteFactory(article=article, speaker=person)

    add(1)
    with_one = count_queries(client, "/people/envoy/")
    add(15)
    # The person with both lists counted, a page of each, the cards' bylines, the masthead's sections.
    assert count_queries(client, "/people/envoy/") == with_one == 5


@pytest.mark.parametrize(
    "path",
    [
        "/",
        f"/articles/{SEED_SLUG}/",
        "/people/",
        "/people/vladimir-putin/",
        "/tags/ukraine/",
        "/sections/world/",
        "/quotes/",
        "/search/?q=putin",
        "/no-such-page/",
    ],
)
def test_every_page_has_landmarks_a_skip_link_one_h1_and_ordered_headings(client, seed, path):
    response = client.get(path)
    page = parse_html(response.content)

    skip = page.find("a", class_="skip-link")
    assert skip.attrs["href"] == "#content"
    assert page.find("main").attrs["id"] == "content"
    assert page.find_all("header", class_="masthead") and page.find_all("footer", class_="site-footer")
    assert len(page.find_all("h1")) == 1
    levels = [int(element.tag[1]) for element in page.iter() if element.tag in {"h1", "h2", "h3", "h4"}]
    assert levels[0] == 1
    assert all(later <= earlier + 1 for earlier, later in zip(levels, levels[1:], strict=False)), levels
    assert all(image.attrs.get("alt") is not None for image in page.find_all("img"))


def test_the_not_found_page_is_branded_and_offers_a_search(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = parse_html(response.content)
    assert page.find("h1").text == "Page not found"
    assert page.find("a", class_="site-name").text == "Newsroom"
    assert page.find("form", role="search", **{"aria-label": "Search the site"}).attrs["action"] == "/search/"


def handler500(request):
    """The view Django calls for a 500: the project's own (``handler500`` in newsroom.urls)."""
    return get_resolver().resolve_error_handler(500)(request)


def test_the_server_error_page_is_branded_and_needs_no_database(rf, django_assert_num_queries, settings):
    settings.SITE_NAME = "The Example Times"
    with django_assert_num_queries(0):
        response = handler500(rf.get("/"))
    assert response.status_code == 500
    page = parse_html(response.content)
    assert page.find("h1").text == "Something went wrong"
    assert page.find("title").text == "Something went wrong | The Example Times"
    assert page.find("link", rel="stylesheet").attrs["href"].endswith("css/site.css")


def test_articles_have_a_print_stylesheet(client, seed):
    page = parse_html(client.get(f"/articles/{SEED_SLUG}/").content)
    assert page.find("link", rel="stylesheet", media="print").attrs["href"].endswith("css/print.css")


def test_a_persons_page_shows_only_the_brief_of_a_story_it_quotes(client, yesterday):
    # A quote card names its story by headline, address and date: a new standfirst or body for
    # the story leaves the person's page be (pagecache.keys.ARTICLE_BRIEF).
    person = PersonFactory(slug="envoy")
    story = ArticleFactory(published_at=yesterday)  # quotes the envoy, names no one
    QuoteFactory(article=story, speaker=person)

    shown = set(client.get("/people/envoy/")["xkey"].split())

    assert f"article-{story.pk}-brief" in shown
    assert f"article-{story.pk}" not in shown
