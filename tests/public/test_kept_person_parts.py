"""
A person's page keeps its two lists (their quotes, the articles naming them) with the structured
data that lists the quotes, as one part kept by the keys of what it shows (pagecache.kept). The
page made again after an edit to the person's own row reads neither list; any change to what the
lists show makes them again.
"""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Person, Quote
from newsroom import fragments
from newsroom.paging import BoundedPaginator
from public.views import ARTICLES_PER_PAGE
from tests.factories import ArticleFactory, PersonFactory, QuoteFactory, SectionFactory
from tests.html_tree import parse_html
from tests.pagecache.test_invalidation_by_key import BODY, SENTENCES, Newsroom, article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pieces_only")]


def lists_made(client, url: str) -> tuple[str, bool, int]:
    """The page, whether its lists were made (not kept), and its number of queries."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    # The list of quotes (the person's query only counts them).
    made = any(query["sql"].startswith('SELECT "articles_quote"."id"') for query in queries)
    return response.content.decode(), made, len(queries)


def speaker(world, n: int = 1) -> Person:
    return Person.objects.get(pk=world.people[n].pk)


def test_a_persons_page_made_again_reads_only_the_person_while_its_lists_are_kept(client):
    person = speaker(Newsroom())
    url = person.get_absolute_url()
    first = client.get(url)
    fragments.forget_local()  # not the pieces kept by their contents: the part kept by keys

    page, made, count = lists_made(client, url)

    assert page == first.content.decode()
    assert not made
    assert count == 2  # the person with their counts; the masthead's sections
    assert client.get(url)["xkey"] == first["xkey"]  # it still carries the keys of what it shows


def test_an_edit_to_the_persons_own_row_leaves_their_lists_kept(client):
    person = speaker(Newsroom())
    client.get(person.get_absolute_url())

    person.bio = "Spokesperson since the spring."
    person.save()
    page, made, _ = lists_made(client, person.get_absolute_url())

    assert "Spokesperson since the spring." in page
    assert not made


@pytest.mark.parametrize(
    ("field", "value"), [("dek", "A sharper standfirst."), ("headline", "Story 1, retold")]
)
def test_an_edit_to_a_listed_story_makes_the_lists_again(client, field, value):
    world = Newsroom()
    person, story = speaker(world), article(world, 1)
    client.get(person.get_absolute_url())

    setattr(story, field, value)
    story.save()
    page, made, _ = lists_made(client, person.get_absolute_url())

    assert made
    assert value in page


def test_a_new_quote_shows_in_the_list_and_its_structured_data(client):
    world = Newsroom()
    person, story = speaker(world), article(world, 1)
    client.get(person.get_absolute_url())

    QuoteFactory(
        article=story, speaker=person, text=Quote.objects.filter(article=story).first().text, order=2
    )
    tree = parse_html(lists_made(client, person.get_absolute_url())[0])

    listed = tree.find("ol", class_="quote-list").find_all("li")
    assert len(listed) == Quote.objects.published().filter(speaker=person).count() == 2
    assert tree.find("script", type="application/ld+json").text.count('"Quotation"') == 2


def test_a_story_published_about_them_joins_both_lists(client):
    world = Newsroom()
    person, draft = speaker(world), article(world, 0)
    assert draft.status == Article.Status.DRAFT
    draft.people.add(person)
    QuoteFactory(article=draft, speaker=person, text=SENTENCES[1], order=2)
    assert draft.headline not in client.get(person.get_absolute_url()).content.decode()

    draft.status = Article.Status.PUBLISHED
    draft.save()
    tree = parse_html(lists_made(client, person.get_absolute_url())[0])

    sources = [link.attrs["href"] for link in tree.find_all("a", class_="quote-source")]
    assert any(href.startswith(draft.get_absolute_url()) for href in sources)
    assert draft.headline in tree.find("div", class_="card-list").text


def test_a_story_published_about_someone_in_many_tops_their_kept_list(client, yesterday):
    # Past the cap of their count (BoundedPaginator.limit_for), one more story leaves the count,
    # and so the part's name, as it was: only the key of their list tells the kept part.
    person, section = PersonFactory(), SectionFactory()
    capped = BoundedPaginator.limit_for(1, ARTICLES_PER_PAGE) + 1
    earlier = Article.objects.bulk_create(
        ArticleFactory.build(section=section, published_at=yesterday) for _ in range(capped)
    )
    Article.people.through.objects.bulk_create(
        Article.people.through(article=story, person=person) for story in earlier
    )
    client.get(person.get_absolute_url())

    newest = ArticleFactory(headline="The newest story about them", section=section)
    newest.people.add(person)
    tree = parse_html(lists_made(client, person.get_absolute_url())[0])

    assert tree.find("div", class_="card-list").find_all("h3")[0].text.strip() == newest.headline


def test_a_quote_edited_in_a_story_that_only_quotes_them_shows_at_once(client, yesterday):
    # Neither count changes, and the story is in no list of theirs but by the quote: only the
    # key of their list tells the kept part.
    person = speaker(Newsroom())
    elsewhere = ArticleFactory(published_at=yesterday, body=BODY)
    quote = QuoteFactory(article=elsewhere, speaker=person, text=SENTENCES[0], order=1)
    client.get(person.get_absolute_url())

    quote.context = "closing the summit"
    quote.save()
    page, made, _ = lists_made(client, person.get_absolute_url())

    assert made
    assert "closing the summit" in page


def test_a_headline_edited_on_a_story_that_only_quotes_them_shows_in_the_quotes(client, yesterday):
    person = speaker(Newsroom())
    elsewhere = ArticleFactory(published_at=yesterday, body=BODY)
    QuoteFactory(article=elsewhere, speaker=person, text=SENTENCES[0], order=1)
    client.get(person.get_absolute_url())

    elsewhere.headline = "Talks end without a deal"
    elsewhere.save()
    tree = parse_html(lists_made(client, person.get_absolute_url())[0])

    sources = [link.text.strip() for link in tree.find_all("a", class_="quote-source")]
    assert "Talks end without a deal" in sources


def test_the_lists_are_kept_apart_for_each_query_their_links_keep(client, yesterday):
    person = PersonFactory()
    for _ in range(ARTICLES_PER_PAGE + 1):
        ArticleFactory(published_at=yesterday).people.add(person)
    url = person.get_absolute_url()
    # Signed in: no page cache, and the query reaches the page as it was asked.
    client.force_login(User.objects.create_user("reader-with-an-account"))

    tagged = parse_html(client.get(url + "?utm_source=newsletter").content)
    plain = parse_html(client.get(url).content)

    assert tagged.find("a", rel="next").attrs["href"] == "?utm_source=newsletter&articles=2#articles-heading"
    assert plain.find("a", rel="next").attrs["href"] == "?articles=2#articles-heading"


def test_with_the_part_left_out_the_lists_are_made_each_time(client, settings):
    settings.KEPT_PARTS = ("story", "read-next")
    person = speaker(Newsroom())
    client.get(person.get_absolute_url())

    _, made, _ = lists_made(client, person.get_absolute_url())

    assert made
