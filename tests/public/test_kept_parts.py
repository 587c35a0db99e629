"""
An article's page is made of parts kept by the keys of what they show (pagecache.kept): its
story with its head, and what to read next. A part is made again only when a purge drops one of
its keys, and then alone; a page dropped from the page cache because a story under it changed
reads the article's own rows no more.
"""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from articles.models import Article, ArticleNote, Person, Quote
from newsroom import fragments
from newsroom.settings import kept_parts
from pagecache import purges
from public.templatetags import pieces
from tests.factories import PersonFactory
from tests.html_tree import parse_html
from tests.pagecache.test_invalidation_by_key import Newsroom, article
from tests.public.test_kept_renderings import change

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pieces_only")]


def parts_made(client, url: str) -> tuple[str, set[str], int]:
    """The page, the parts made for it (the others were kept), and its number of queries."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    made = set()
    for query in queries:
        if '"articles_quote"' in query["sql"]:
            made.add("story")  # only the story reads the article's quotes
        if '"relevance"' in query["sql"]:
            made.add("read next")  # the related stories, ranked
    return response.content.decode(), made, len(queries)


def test_a_page_made_again_reads_only_the_article_while_its_parts_are_kept(client):
    world = Newsroom()
    url = article(world, 3).get_absolute_url()
    first = client.get(url)
    fragments.forget_local()  # not the pieces kept by their contents: the parts kept by keys

    page, made, count = parts_made(client, url)

    assert page == first.content.decode()
    assert made == set()
    # The article, to know it is there and public; its people and tags, which name what to read
    # next; the masthead's sections.
    assert count == 3
    assert client.get(url)["xkey"] == first["xkey"]  # it still carries the keys of what it shows


def test_a_headline_edited_under_read_next_makes_read_next_again_and_not_the_story(client):
    world = Newsroom()
    story, neighbour = article(world, 1), article(world, 3)
    client.get(neighbour.get_absolute_url())

    story.headline = "Story 1, retold"
    story.save()
    page, made, _ = parts_made(client, neighbour.get_absolute_url())

    assert "Story 1, retold" in page
    assert made == {"read next"}


def test_a_correction_makes_the_story_again_and_not_read_next(client):
    world = Newsroom()
    story = article(world, 3)
    client.get(story.get_absolute_url())

    ArticleNote.objects.create(article=story, text="An earlier version misspelt a name.")
    page, made, _ = parts_made(client, story.get_absolute_url())

    assert "An earlier version misspelt a name." in page
    assert made == {"story"}


def test_a_purge_by_another_process_reaches_the_kept_parts(client):
    world = Newsroom()
    story = article(world, 3)
    client.get(story.get_absolute_url())
    # A change the signals did not see, told to the cache as a command would after a bulk update.
    Quote.objects.filter(article=story).update(context="at the summit")
    Article.objects.filter(pk=story.pk).update(dek="A standfirst set in bulk.")

    purges.purge({f"article-{story.pk}"})
    page, _, _ = parts_made(client, story.get_absolute_url())

    assert "A standfirst set in bulk." in page


def test_a_preview_is_made_afresh_each_time(client):
    world = Newsroom()
    draft = article(world, 0)
    assert draft.status == Article.Status.DRAFT
    client.force_login(User.objects.create_superuser("desk-chief"))
    client.get(draft.get_absolute_url())

    draft.headline = "Story 0, rewritten"
    draft.save()  # a draft's edit drops no key: nothing kept may show it
    page, made, _ = parts_made(client, draft.get_absolute_url())

    assert "Story 0, rewritten" in page
    assert made == {"story", "read next"}


def test_with_kept_parts_off_every_part_is_made_each_time(client, settings):
    settings.KEPT_PARTS = ()
    world = Newsroom()
    url = article(world, 3).get_absolute_url()
    client.get(url)

    _, made, _ = parts_made(client, url)

    assert made == {"story", "read next"}


def test_parts_kept_in_redis_serve_every_process(client, redis_cache):
    world = Newsroom()
    story = article(world, 3)
    client.get(story.get_absolute_url())
    purges.near_copies(redis_cache).forget()  # as another process, which has none of its own

    _, made, _ = parts_made(client, story.get_absolute_url())
    assert made == set()

    story.dek = "A sharper standfirst."
    story.save()
    purges.near_copies(redis_cache).forget()
    page, made, _ = parts_made(client, story.get_absolute_url())

    assert "A sharper standfirst." in page
    assert made == {"story"}  # what to read next shows the story's brief, which it leaves be


def test_a_part_left_out_of_kept_parts_is_made_each_time(client, settings):
    settings.KEPT_PARTS = ("story",)
    world = Newsroom()
    url = article(world, 3).get_absolute_url()
    client.get(url)

    _, made, _ = parts_made(client, url)

    assert made == {"read next"}


@pytest.mark.parametrize(
    ("value", "parts"),
    [
        ("", ("story", "read-next", "person-lists")),
        ("read-next", ("read-next",)),
        (" story , read-next ", ("story", "read-next")),
        ("none", ()),
    ],
)
def test_kept_parts_come_from_the_environment(value, parts):
    assert kept_parts(value) == parts


def test_a_part_with_no_such_name_is_refused_with_the_names_there_are():
    with pytest.raises(ImproperlyConfigured, match="no part called body: use story, read-next, person-lists"):
        kept_parts("story,body")


def related_stories(page: str) -> list[str]:
    """The headlines under "Related stories", none when the page has no such list."""
    sections = parse_html(page).find_all("section", **{"aria-labelledby": "related-heading"})
    return [heading.text.strip() for section in sections for heading in section.find_all("h3")]


@pytest.mark.parametrize("unlink", ["delete the person", "delete the tag"])
def test_a_person_or_tag_deleted_leaves_no_story_related_through_it(client, unlink):
    world = Newsroom()
    two, three = article(world, 2), article(world, 3)  # in different sections, related by nothing yet
    shared = PersonFactory(name="Shared Person", slug="shared-person")
    for story in (two, three):  # the one link between them
        if unlink == "delete the person":
            story.people.add(shared)
        else:
            story.tags.add("shared-topic")
    assert "Story 2" in related_stories(client.get(three.get_absolute_url()).content.decode())

    # Their links go by cascade, which sends no m2m_changed: the part is named by the links.
    if unlink == "delete the person":
        Person.objects.get(pk=shared.pk).delete()
    else:
        Tag.objects.get(name="shared-topic").delete()
    page = client.get(three.get_absolute_url()).content.decode()

    assert "Story 2" not in related_stories(page)


def edited_meanwhile(monkeypatch, part: str, edit):
    """While the next page is made, ``edit`` is saved by another request, just before ``part``."""
    kept = pieces.kept_by_keys.kept

    def with_edit(kind, inputs, build):
        if kind == part:
            monkeypatch.setattr(pieces.kept_by_keys, "kept", kept)
            edit()
        return kept(kind, inputs, build)

    monkeypatch.setattr(pieces.kept_by_keys, "kept", with_edit)


def test_an_edit_saved_while_the_page_is_made_shows_on_the_next(client, monkeypatch):
    world = Newsroom()
    story = article(world, 3)
    edited_meanwhile(monkeypatch, "story", lambda: change(Article.objects.get(pk=story.pk), headline="New"))

    client.get(story.get_absolute_url())  # made from the row read before the edit
    fragments.forget_local()
    page = parse_html(client.get(story.get_absolute_url()).content)

    assert page.find("h1").text.strip() == "New"


def test_a_tag_added_while_the_story_is_made_shows_under_read_next_on_the_next_page(client, monkeypatch):
    world = Newsroom()
    two, three = article(world, 2), article(world, 3)
    two.tags.add("shared-topic")
    tag_it = lambda: Article.objects.get(pk=three.pk).tags.add("shared-topic")  # noqa: E731
    edited_meanwhile(monkeypatch, "read-next", tag_it)

    client.get(three.get_absolute_url())  # its story's tags read before the edit
    page = client.get(three.get_absolute_url()).content.decode()

    assert "Story 2" in related_stories(page)
