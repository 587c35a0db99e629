"""Which cached pages each change to the content drops: the rules, and the signals that apply them."""

import functools
from dataclasses import dataclass
from datetime import datetime

from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, ArticleNote, Author, Person, Placement, Quote, Section, TaggedArticle
from articles.signals import content_changed as content_changed_signal
from images.models import Image
from pagecache import keys
from pagecache.purges import SCHEDULE, batching, content_changed, purge


@dataclass(frozen=True)
class Listing:
    """Where an article is listed: whether readers see it, in which order and section."""

    public: bool
    published_at: datetime | None
    section_id: int | None

    @classmethod
    def of(cls, article: Article) -> "Listing":
        return cls(article.is_public, article.published_at, article.section_id)


def _lists_naming(article_ids, using: str) -> set[str]:
    """The lists these articles appear in: their sections', tags', people's, authors' and speakers'."""
    articles = Article.objects.using(using).filter(pk__in=article_ids)
    found = set()
    for section in articles.exclude(section=None).values_list("section", flat=True):
        found.add(keys.list_of_pk(Section, section))
    for model, ids in (
        (
            Tag,
            TaggedArticle.objects.using(using)
            .filter(content_object__in=article_ids)
            .values_list("tag", flat=True),
        ),
        (Person, articles.values_list("people", flat=True)),
        (
            Person,
            Quote.objects.using(using).filter(article__in=article_ids).values_list("speaker", flat=True),
        ),
        (Author, articles.values_list("authors", flat=True)),
    ):
        found.update(keys.list_of_pk(model, pk) for pk in ids if pk is not None)
    return found


# What a change in the lists of stories drops: every list it can enter, leave or move in.
LISTS = {keys.ARTICLES, keys.FRONT, keys.PEOPLE, keys.QUOTES, keys.SEARCH}


def became_public(articles, using: str) -> set[str]:
    """The keys to drop for ``articles`` now public with no save (their scheduled time came)."""
    ids = list(articles.values_list("pk", flat=True))
    if not ids:
        return set()
    return LISTS | {key for pk in ids for key in _all_of(pk)} | _lists_naming(ids, using)


def _all_of(pk) -> set[str]:
    """An article's keys: its pages in full, and its brief."""
    return {keys.of_pk(Article, pk), keys.brief_of_pk(pk)}


def article_changed(
    pk, before: Listing | None, after: Listing | None, lists: set[str], brief_changed: bool = True
) -> set[str]:
    """
    The keys an article's change drops. None of them while readers see it neither before nor
    after (a draft, a story in review, a scheduled one: its time drops them). Its own pages and
    search while only its words change, and its brief when what a brief shows changes too;
    every list it was or is in when it enters or leaves the public site, moves in time, or
    changes section.
    """
    seen_before, seen_after = before is not None and before.public, after is not None and after.public
    if not seen_before and not seen_after:
        return set()
    dropped = {keys.of_pk(Article, pk), keys.SEARCH}
    if brief_changed or before != after:
        dropped.add(keys.brief_of_pk(pk))
    if before != after:
        dropped |= LISTS | lists
    return dropped


def _article_public(pk, using: str) -> bool:
    return pk is not None and Article.objects.using(using).published().filter(pk=pk).exists()


# Receivers. Each reads what it needs of the rows before the change in pre_save/pre_delete.


def _receiver(receive):
    """Within batched_changes() every change drops every page, at the end, and nothing is read."""

    @functools.wraps(receive)
    def receiver(sender, **kwargs):
        if batching():
            content_changed(kwargs.get("using", DEFAULT_DB_ALIAS))
        else:
            receive(sender, **kwargs)

    return receiver


@_receiver
def _article_before(sender, instance: Article, using=DEFAULT_DB_ALIAS, **kwargs):
    before = row = None
    if instance.pk is not None:
        row = Article.objects.using(using).filter(pk=instance.pk).only(*keys.ARTICLE_BRIEF).first()
        before = Listing.of(row) if row is not None else None
    instance._pagecache_before = before
    instance._pagecache_brief = keys.brief(row) if row is not None else None
    # The lists it leaves or moves in are read while its links are there (a deletion takes them).
    leaving = kwargs.get("signal") is pre_delete or before != Listing.of(instance)
    instance._pagecache_lists = (
        _lists_naming([instance.pk], using) if before and before.public and leaving else set()
    )


@_receiver
def _article_saved(sender, instance: Article, using=DEFAULT_DB_ALIAS, **kwargs):
    after = Listing.of(instance)
    before = getattr(instance, "_pagecache_before", None)
    lists = getattr(instance, "_pagecache_lists", set())
    if after.public and before != after:
        lists = lists | _lists_naming([instance.pk], using)
    brief_changed = getattr(instance, "_pagecache_brief", None) != keys.brief(instance)
    dropped = article_changed(instance.pk, before, after, lists, brief_changed)
    if instance.is_scheduled:
        dropped.add(SCHEDULE)  # every process looks for its time
    purge(dropped, using)


@_receiver
def _article_deleted(sender, instance: Article, using=DEFAULT_DB_ALIAS, **kwargs):
    before = getattr(instance, "_pagecache_before", None)
    purge(article_changed(instance.pk, before, None, getattr(instance, "_pagecache_lists", set())), using)


@_receiver
def _quote_before(sender, instance: Quote, using=DEFAULT_DB_ALIAS, **kwargs):
    row = None
    if instance.pk is not None:
        row = Quote.objects.using(using).filter(pk=instance.pk).values("article", "speaker").first()
    instance._pagecache_before = row


@_receiver
def _quote_changed(sender, instance: Quote, using=DEFAULT_DB_ALIAS, **kwargs):
    """A quote shows on its article, its speaker's page, the latest quotes, the people index and search."""
    before = getattr(instance, "_pagecache_before", None) or {}
    dropped = set()
    for article, speaker in (
        (before.get("article"), before.get("speaker")),
        (instance.article_id, instance.speaker_id),
    ):
        if _article_public(article, using):
            dropped |= {keys.of_pk(Article, article), keys.QUOTES, keys.PEOPLE, keys.SEARCH}
            if speaker is not None:
                dropped.add(keys.list_of_pk(Person, speaker))
    purge(dropped, using)


@_receiver
def _shown_if(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    """
    A person, tag or author seen by readers: the pages showing it, and the lists that name it
    (the people index, search, sitemaps, the API's lists). One no reader sees: nothing.
    """
    if sender is Person:
        public, lists = (
            Person.objects.using(using).public().filter(pk=instance.pk),
            {keys.PEOPLE, keys.SEARCH},
        )
    elif sender is Author:
        public, lists = Author.objects.using(using).public().filter(pk=instance.pk), {keys.ARTICLES}
    else:
        published = Article.objects.using(using).published()
        public = TaggedArticle.objects.using(using).filter(tag=instance.pk, content_object__in=published)
        lists = {keys.ARTICLES}
    if kwargs.get("signal") is post_delete or public.exists():
        purge({keys.of(instance), *lists}, using)


@_receiver
def _section_changed(sender, instance: Section, using=DEFAULT_DB_ALIAS, **kwargs):
    # Every page's navigation lists the sections.
    content_changed(using)


@_receiver
def _note_changed(sender, instance: ArticleNote, using=DEFAULT_DB_ALIAS, **kwargs):
    if _article_public(instance.article_id, using):
        purge({keys.of_pk(Article, instance.article_id)}, using)


@_receiver
def _placement_changed(sender, instance: Placement, using=DEFAULT_DB_ALIAS, **kwargs):
    ending = instance.expires_at is not None and instance.expires_at > timezone.now()
    purge({keys.FRONT, SCHEDULE} if ending else {keys.FRONT}, using)


@_receiver
def _image_changed(sender, instance: Image, using=DEFAULT_DB_ALIAS, **kwargs):
    # Its alt text, caption, credit or crop shows on every page that prints it.
    purge({keys.of(instance)}, using)


# Each link table: its article column, and the person's, author's or tag's.
_LINKED = {
    Article.people.through: ("article", "person", Person),
    Article.authors.through: ("article", "author", Author),
    TaggedArticle: ("content_object", "tag", Tag),
}


@_receiver
def _links_changed(sender, instance, action, reverse, pk_set, using=DEFAULT_DB_ALIAS, **kwargs):
    """A person, author or tag added to or taken from published articles."""
    article_field, other_field, linked = _LINKED[sender]
    if action == "pre_clear":
        # Which ones go is known only while they are there.
        mine, theirs = (other_field, article_field) if reverse else (article_field, other_field)
        links = sender.objects.using(using).filter(**{mine: instance.pk})
        instance._pagecache_cleared = set(links.values_list(theirs, flat=True))
        return
    if not action.startswith("post_"):
        return
    if action == "post_clear":
        pk_set = getattr(instance, "_pagecache_cleared", set())
    if not pk_set:
        return
    articles, others = (list(pk_set), [instance.pk]) if reverse else ([instance.pk], list(pk_set))
    public = list(
        Article.objects.using(using).published().filter(pk__in=articles).values_list("pk", flat=True)
    )
    if not public:
        return
    dropped = {key for pk in public for key in _all_of(pk)}  # a brief's byline names its authors
    dropped |= {keys.list_of_pk(linked, pk) for pk in others} | {keys.of_pk(linked, pk) for pk in others}
    purge(dropped | LISTS, using)


def _bulk_changed(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    content_changed(using)


pre_save.connect(_article_before, sender=Article, dispatch_uid="pagecache.changes.article.before")
pre_delete.connect(_article_before, sender=Article, dispatch_uid="pagecache.changes.article.before_delete")
post_save.connect(_article_saved, sender=Article, dispatch_uid="pagecache.changes.article.saved")
post_delete.connect(_article_deleted, sender=Article, dispatch_uid="pagecache.changes.article.deleted")
pre_save.connect(_quote_before, sender=Quote, dispatch_uid="pagecache.changes.quote.before")
pre_delete.connect(_quote_before, sender=Quote, dispatch_uid="pagecache.changes.quote.before_delete")
for _signal, _name in ((post_save, "saved"), (post_delete, "deleted")):
    _signal.connect(_quote_changed, sender=Quote, dispatch_uid=f"pagecache.changes.quote.{_name}")
    _signal.connect(_section_changed, sender=Section, dispatch_uid=f"pagecache.changes.section.{_name}")
    _signal.connect(_note_changed, sender=ArticleNote, dispatch_uid=f"pagecache.changes.note.{_name}")
    _signal.connect(_placement_changed, sender=Placement, dispatch_uid=f"pagecache.changes.placement.{_name}")
    _signal.connect(_image_changed, sender=Image, dispatch_uid=f"pagecache.changes.image.{_name}")
    for _model in (Person, Author, Tag):
        _signal.connect(_shown_if, sender=_model, dispatch_uid=f"pagecache.changes.{_model.__name__}.{_name}")
for _through in _LINKED:
    m2m_changed.connect(
        _links_changed, sender=_through, dispatch_uid=f"pagecache.changes.links.{_through.__name__}"
    )
content_changed_signal.connect(_bulk_changed, dispatch_uid="pagecache.changes.bulk")
