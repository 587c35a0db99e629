"""
Pages are dropped by what they show (pagecache.keys, pagecache.changes): whatever sequence of
edits the newsroom makes, every page served from the cache is the page as it would be made now,
and an edit no reader can see drops nothing.
"""

import datetime
import difflib
import re
from io import StringIO

import pytest
import reversion
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from reversion.models import Version

from articles import revisions
from articles.models import Article, ArticleNote, Author, Person, Placement, Quote, Section
from pagecache import keys as page_keys
from pagecache import purges
from tests.desk.test_admin_permissions import superuser_form
from tests.factories import ArticleFactory, PersonFactory, QuoteFactory, SectionFactory
from tests.images.pictures import library_image

pytestmark = pytest.mark.django_db

SENTENCES = ["The talks resumed today.", "Nobody expected a deal.", "The vote is on Friday."]
BODY = " ".join(SENTENCES)
ARTICLES, PEOPLE, SECTIONS, TAGS, AUTHORS = 5, 4, 2, 3, 2


class Newsroom:
    """A small newsroom whose stories share sections, tags, people and authors."""

    def __init__(self):
        week_ago = timezone.now() - datetime.timedelta(days=7)
        self.sections = [SectionFactory(name=f"Desk {n}", slug=f"desk-{n}") for n in range(SECTIONS)]
        self.people = [PersonFactory(name=f"Speaker Number{n}", slug=f"speaker-{n}") for n in range(PEOPLE)]
        self.tags = [f"topic{n}" for n in range(TAGS)]
        self.authors = [
            Author.objects.create(
                user=User.objects.create_user(f"writer{n}"), display_name=f"Writer {n}", slug=f"writer-{n}"
            )
            for n in range(AUTHORS)
        ]
        self.articles = []
        for n in range(ARTICLES):
            article = ArticleFactory(
                headline=f"Story {n}",
                slug=f"story-{n}",
                body=BODY,
                section=self.sections[n % SECTIONS],
                status=Article.Status.PUBLISHED if n % 4 else Article.Status.DRAFT,
                published_at=week_ago + datetime.timedelta(hours=n),
            )
            article.tags.add(self.tags[n % TAGS])
            article.people.add(self.people[n % PEOPLE])
            article.authors.add(self.authors[n % AUTHORS])
            QuoteFactory(article=article, speaker=self.people[n % PEOPLE], text=SENTENCES[0], order=1)
            self.articles.append(article)

    def pages(self) -> list[str]:
        return [
            "/",
            *(f"/articles/story-{n}/" for n in range(ARTICLES)),
            *(f"/sections/desk-{n}/" for n in range(SECTIONS)),
            *(f"/tags/topic{n}/" for n in range(TAGS)),
            *(f"/people/speaker-{n}/" for n in range(PEOPLE)),
            *(f"/authors/writer-{n}/" for n in range(AUTHORS)),
            "/people/",
            "/quotes/",
            "/search/?q=talks",
            "/search/?q=speaker",
            "/feeds/latest/rss/",
            "/sections/desk-0/rss/",
            "/tags/topic1/atom/",
            "/people/speaker-1/rss/",
            "/sitemap.xml",
            "/news-sitemap.xml",
            "/api/articles/",
            "/api/articles/story-1/",
            "/api/quotes/",
            "/api/people/",
            "/api/people/speaker-1/",
            "/api/tags/",
            "/api/authors/",
            "/api/sections/",
        ]


def article(world, n) -> Article:
    return Article.objects.get(pk=world.articles[n].pk)


def edit(world, action, n, m):
    """One edit an editor can make, to article ``n`` with row ``m`` of its kind."""
    story = article(world, n)
    if action == "standfirst":
        story.dek = f"A new standfirst {m}."
        story.save()
    elif action == "headline":
        story.headline = f"Story {n}, updated {m}"
        story.save()
    elif action == "publish":
        story.status = Article.Status.PUBLISHED
        story.save()
    elif action == "withdraw":
        story.status = Article.Status.WITHDRAWN
        story.save()
    elif action == "to draft":
        story.status = Article.Status.DRAFT
        story.save()
    elif action == "republish earlier":
        story.published_at = timezone.now() - datetime.timedelta(days=30 + m)
        story.save()
    elif action == "section":
        story.section = world.sections[m % SECTIONS]
        story.save()
    elif action == "tag":
        story.tags.add(world.tags[m % TAGS])
    elif action == "untag":
        story.tags.remove(world.tags[m % TAGS])
    elif action == "name a person":
        story.people.add(world.people[m % PEOPLE])
    elif action == "unname people":
        story.people.clear()
    elif action == "byline":
        story.authors.set([world.authors[m % AUTHORS]])
    elif action == "quote":
        Quote.objects.create(
            article=story,
            speaker=world.people[m % PEOPLE],
            text=SENTENCES[m % 3],
            order=story.quotes.count() + 1,
        )
    elif action == "reattribute":
        quote = story.quotes.first()
        if quote is not None:
            quote.speaker = world.people[m % PEOPLE]
            quote.save()
    elif action == "unquote":
        story.quotes.all().delete()
    elif action == "rename person":
        person = Person.objects.get(pk=world.people[m % PEOPLE].pk)
        person.name = f"Renamed Person{n}"
        person.save()
    elif action == "rename author":
        author = Author.objects.get(pk=world.authors[m % AUTHORS].pk)
        author.display_name = f"Writer renamed {n}"
        author.save()
    elif action == "correction":
        ArticleNote.objects.create(article=story, text=f"Correction {m}.")
    elif action == "place":
        Placement.objects.update_or_create(article=story, defaults={"position": 1 + m % 2})
    elif action == "unplace":
        Placement.objects.filter(article=story).delete()
    elif action == "delete":
        story.delete()
    elif action == "new section":
        Section.objects.get_or_create(slug=f"new-desk-{m}", defaults={"name": f"New desk {m}"})


ACTIONS = [
    "standfirst",
    "headline",
    "publish",
    "withdraw",
    "to draft",
    "republish earlier",
    "section",
    "tag",
    "untag",
    "name a person",
    "unname people",
    "byline",
    "quote",
    "reattribute",
    "unquote",
    "rename person",
    "rename author",
    "correction",
    "place",
    "unplace",
    "delete",
    "new section",
]
EDITS = st.lists(
    st.tuples(st.sampled_from(ACTIONS), st.integers(0, ARTICLES - 1), st.integers(0, 5)),
    min_size=1,
    max_size=8,
)


# A feed with no items is dated when it is made (Django's Feed): no cache could keep that.
UNDATED_FEED = re.compile(rb"<(lastBuildDate|updated)>[^<]*</\1>(?!.*<(item|entry)>)", re.DOTALL)


def as_served(client, url: str) -> tuple[int, bytes]:
    response = client.get(url)
    return response.status_code, UNDATED_FEED.sub(b"", response.content)


def difference(served: tuple[int, bytes], made: tuple[int, bytes]) -> str:
    lines = difflib.unified_diff(
        served[1].decode().replace("><", ">\n<").splitlines(),
        made[1].decode().replace("><", ">\n<").splitlines(),
        "served",
        "made now",
        lineterm="",
    )
    return f"{served[0]} / {made[0]}\n" + "\n".join(list(lines)[:40])


def as_made_now(client, url: str) -> tuple[int, bytes]:
    with override_settings(PAGE_CACHE=False, KEPT_PARTS=()):
        return as_served(client, url)


@hypothesis_settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=EDITS)
def test_after_every_edit_each_cached_page_is_the_page_made_now(client, edits):
    cache.clear()  # no page from the example before
    with transaction.atomic():
        world = Newsroom()
        pages = world.pages()
        for url in pages:
            as_served(client, url)  # every page cached
        for step, (action, n, m) in enumerate(edits):
            if action == "delete" and not Article.objects.filter(pk=world.articles[n].pk).exists():
                continue
            if not Article.objects.filter(pk=world.articles[n].pk).exists():
                continue
            edit(world, action, n, m)
            for url in pages:
                served, made = as_served(client, url), as_made_now(client, url)
                assert served == made, (
                    f"{url} is stale after {edits[: step + 1]}:\n{difference(served, made)}"
                )
        transaction.set_rollback(True)


def purges_recorded(monkeypatch) -> list[set[str]]:
    """The keys of each purge made from now on, as they are written to the cache."""
    written = []
    monkeypatch.setattr(purges, "_write_records", lambda cache, keys: written.append(set(keys)))
    return written


def test_a_draft_edit_drops_no_page(client, settings, monkeypatch):
    world = Newsroom()
    written = purges_recorded(monkeypatch)
    draft = article(world, 0)
    assert draft.status == Article.Status.DRAFT

    draft.dek = "Still being written."
    draft.save()
    draft.tags.add("new-topic")
    draft.people.add(world.people[1])
    Quote.objects.create(article=draft, speaker=world.people[2], text=SENTENCES[1], order=2)

    assert written == []


def test_a_published_storys_standfirst_drops_its_own_pages_and_search_only(client, monkeypatch):
    world = Newsroom()
    written = purges_recorded(monkeypatch)
    story = article(world, 1)

    story.dek = "A sharper standfirst."
    story.save()

    assert written == [{f"article-{story.pk}", "search"}]


def test_a_page_carries_the_keys_of_what_it_shows(client):
    world = Newsroom()
    story = article(world, 1)

    keys = set(client.get("/articles/story-1/")["xkey"].split())

    assert {f"article-{story.pk}", f"section-{story.section_id}", "all"} <= keys
    assert f"person-{world.people[1].pk}-list" in keys  # what to read next: stories naming the person
    assert f"article-{world.articles[0].pk}" not in keys  # a draft is on no page


def admin_save(client, story: Article, **changes) -> None:
    """An editor saves the story's change form in the admin, as the newsroom does all day."""
    data = superuser_form(story)
    for field, value in changes.items():
        data[field] = [value]
    response = client.post(reverse("admin:articles_article_change", args=[story.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_saving_a_draft_in_the_admin_drops_no_page(client, monkeypatch):
    world = Newsroom()
    draft = article(world, 0)
    client.force_login(User.objects.create_superuser("desk-chief"))
    written = purges_recorded(monkeypatch)

    admin_save(client, draft, dek="Still being written.")

    assert Article.objects.get(pk=draft.pk).dek == "Still being written."
    assert written == []


def test_editing_a_published_standfirst_in_the_admin_drops_its_pages_and_search(client, monkeypatch):
    world = Newsroom()
    story = article(world, 1)
    client.force_login(User.objects.create_superuser("desk-chief"))
    written = purges_recorded(monkeypatch)

    admin_save(client, story, dek="A sharper standfirst.")

    assert set().union(*written) == {f"article-{story.pk}", "search"}


def test_read_next_shows_briefs_so_a_standfirst_edit_elsewhere_leaves_the_page_be(client, monkeypatch):
    world = Newsroom()
    story, neighbour = article(world, 1), article(world, 3)
    assert story.section_id == neighbour.section_id  # story 1 is "more from the section" on story 3
    page = client.get(neighbour.get_absolute_url())
    keys = set(page["xkey"].split())
    written = purges_recorded(monkeypatch)

    story.dek = "A sharper standfirst."
    story.save()

    assert story.headline in page.content.decode()
    assert f"article-{story.pk}-brief" in keys
    assert not set().union(*written) & keys


@pytest.mark.parametrize(
    "change",
    [
        {"headline": "Story 1, retold"},
        {"byline": "Wire services"},
        {"published_at": timezone.now() - datetime.timedelta(days=1)},
    ],
)
def test_a_change_to_what_a_brief_shows_drops_the_brief(client, monkeypatch, change):
    world = Newsroom()
    story = article(world, 1)
    written = purges_recorded(monkeypatch)

    for field, value in change.items():
        setattr(story, field, value)
    story.save()

    assert {f"article-{story.pk}", f"article-{story.pk}-brief"} <= set().union(*written)


def test_a_story_read_whole_after_all_carries_its_full_key(client):
    world = Newsroom()
    story = article(world, 1)

    with page_keys.collecting() as shown:
        brief = Article.objects.only(*page_keys.ARTICLE_BRIEF).get(pk=story.pk)
        assert shown == {"all", f"article-{story.pk}-brief"}
        assert brief.dek  # a field outside the brief, read after all: fetched, and recorded
    assert f"article-{story.pk}" in shown


def test_restoring_a_revision_drops_the_pages_of_the_people_its_quotes_bring_back(monkeypatch, editor):
    world = Newsroom()
    story, newcomer = article(world, 1), world.people[3]
    with reversion.create_revision():
        Quote.objects.create(article=story, speaker=newcomer, text=SENTENCES[1], order=2)
        story.save()
    version = Version.objects.get_for_object(story).first()
    Quote.objects.filter(article=story, speaker=newcomer).delete()
    written = purges_recorded(monkeypatch)

    revisions.restore(editor, story, version)

    assert Quote.objects.filter(article=story, speaker=newcomer).exists()
    assert f"person-{newcomer.pk}-list" in set().union(*written)


def test_making_a_pictures_renditions_again_drops_the_pages_that_print_it(monkeypatch):
    image = library_image()
    written = purges_recorded(monkeypatch)

    call_command("make_renditions", str(image.pk), "--force", stdout=StringIO())

    assert f"image-{image.pk}" in set().union(*written)
