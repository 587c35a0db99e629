"""What makes the cached pages stale: saves and deletions of content, and its bulk changes."""

from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, ArticleNote, Author, Person, Placement, Quote, Section, TaggedArticle
from articles.signals import content_changed as content_changed_signal
from images.models import Image
from pagecache.generations import content_changed


def _changed(sender, instance=None, using=DEFAULT_DB_ALIAS, **kwargs):
    # When the pages will change again with no save: a scheduled article's time, a placement's end.
    scheduled_for = None
    if isinstance(instance, Article) and instance.is_scheduled:
        scheduled_for = instance.published_at.timestamp()
    elif isinstance(instance, Placement) and instance.expires_at and instance.expires_at > timezone.now():
        scheduled_for = instance.expires_at.timestamp()
    content_changed(using, scheduled_for)


def _links_changed(sender, action, using=DEFAULT_DB_ALIAS, **kwargs):
    if action.startswith("post_"):
        content_changed(using)


# An image's alt text, caption, credit or crop shows on every page that prints it.
for _model in (Article, Quote, Person, Section, Author, ArticleNote, Tag, Placement, Image):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"pagecache.receivers.saved.{_model.__name__}")
    post_delete.connect(
        _changed, sender=_model, dispatch_uid=f"pagecache.receivers.deleted.{_model.__name__}"
    )
for _through in (Article.people.through, Article.authors.through, TaggedArticle):
    m2m_changed.connect(
        _links_changed, sender=_through, dispatch_uid=f"pagecache.receivers.links.{_through.__name__}"
    )


def _bulk_changed(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    content_changed(using)


content_changed_signal.connect(_bulk_changed, dispatch_uid="pagecache.receivers.bulk")
