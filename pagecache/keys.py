"""What a page shows, as surrogate keys: the rows it was made from and the lists it depends on."""

import contextvars
import functools
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models.signals import post_init
from taggit.models import Tag

from articles.models import Article, Author, Person, Section
from images.models import Image

# On every page: dropping it drops everything (a bulk change whose rows are not known).
EVERYTHING = "all"
# Lists that are not one row's: the newest stories (front page, latest feeds, sitemaps), the
# front page's placements, the people index, the latest quotes, search results.
ARTICLES = "articles"
FRONT = "front"
PEOPLE = "people"
QUOTES = "quotes"
SEARCH = "search"

_PREFIXES = {
    Article: "article",
    Person: "person",
    Section: "section",
    Tag: "tag",
    Author: "author",
    Image: "image",
}

_collected: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar("pagecache_keys", default=None)


def of(instance) -> str:
    """The key of a row a page shows: ``article-12``."""
    return f"{_PREFIXES[type(instance)]}-{instance.pk}"


# A story's brief: what a compact card under "Read next" is made of. A page that read a story
# with these fields alone shows only them, and carries ``article-12-brief`` instead of
# ``article-12``: editing the story's words (its standfirst, its body) leaves that page be.
ARTICLE_BRIEF = ("headline", "slug", "section", "lead_image", "byline", "status", "published_at")


@functools.cache
def _brief_attnames() -> tuple[str, ...]:
    return ("id", *(Article._meta.get_field(name).attname for name in ARTICLE_BRIEF))


@functools.cache
def _beyond_brief() -> tuple[str, ...]:
    brief = _brief_attnames()
    return tuple(field.attname for field in Article._meta.concrete_fields if field.attname not in brief)


def brief(article) -> tuple:
    """What the article's brief shows, to tell whether a change changes it."""
    return tuple(getattr(article, name) for name in _brief_attnames())


def brief_of_pk(pk) -> str:
    return f"article-{pk}-brief"


def list_of(instance) -> str:
    """The key of the published stories (and quotes) listed under a section, tag, person or author."""
    return f"{of(instance)}-list"


def of_pk(model, pk) -> str:
    return f"{_PREFIXES[model]}-{pk}"


def list_of_pk(model, pk) -> str:
    return f"{of_pk(model, pk)}-list"


@contextmanager
def collecting() -> Iterator[set[str]]:
    """Keys of what is read within the block, collected into the set it gives."""
    keys = {EVERYTHING}
    token = _collected.set(keys)
    try:
        yield keys
    finally:
        _collected.reset(token)


def record(*keys: str) -> None:
    """Adds keys to the page being made (no page, nothing to do)."""
    collected = _collected.get()
    if collected is not None:
        collected.update(keys)


def lists_of(*instances) -> None:
    """The page lists published stories of these sections, tags, people or authors."""
    record(*(list_of(instance) for instance in instances))


def _shown(sender, instance, **kwargs):
    # Every row loaded while a page is made is taken to be shown on it: a row read but not
    # printed costs only a page dropped for nothing when it changes, never a stale one.
    collected = _collected.get()
    if collected is not None and instance.pk is not None:
        collected.add(of(instance))


def _article_shown(sender, instance, **kwargs):
    collected = _collected.get()
    if collected is None or instance.pk is None:
        return
    # A field left unread and read later is fetched into a row of its own, recorded in turn.
    if any(name in instance.__dict__ for name in _beyond_brief()):
        collected.add(of(instance))
    else:
        collected.add(brief_of_pk(instance.pk))


for _model in _PREFIXES:
    post_init.connect(
        _article_shown if _model is Article else _shown,
        sender=_model,
        dispatch_uid=f"pagecache.keys.shown.{_model.__name__}",
    )
