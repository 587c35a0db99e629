"""
Topics (taggit's tags) as the newsroom keeps them tidy: names that can have an address, and
merging "Ukraine war" and "Ukraine War" into one moves every article to the tag kept, in one
transaction.
"""

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Min
from django.utils.text import slugify
from taggit.models import Tag

from articles.models import TaggedArticle
from articles.signals import content_changed


def merge_tags(keep: Tag, others: list[Tag]) -> int:
    """
    Give ``keep`` to every article that carries one of ``others``, then delete ``others``.
    Returns how many articles carry ``keep`` afterwards.
    """
    others = [tag for tag in others if tag.pk != keep.pk]
    with transaction.atomic():
        moving = TaggedArticle.objects.filter(tag__in=others)
        # An article that has the kept tag, or several of the others, keeps one link.
        moving.filter(
            content_object__in=TaggedArticle.objects.filter(tag=keep).values("content_object")
        ).delete()
        first_per_article = moving.values("content_object").annotate(first=Min("pk")).values("first")
        moving.exclude(pk__in=first_per_article).delete()
        moving.update(tag=keep)
        Tag.objects.filter(pk__in=[tag.pk for tag in others]).delete()
        # Bulk updates send no signals: the pages listing these articles change too.
        content_changed.send(sender=TaggedArticle, using=DEFAULT_DB_ALIAS)
    return TaggedArticle.objects.filter(tag=keep).count()


def check_tag_names(names: list[str]) -> list[str]:
    """The tag names, or ValidationError when one is too long or has no letters or digits."""
    limit = Tag._meta.get_field("name").max_length
    for name in names:
        if len(name) > limit:
            raise ValidationError(
                f"The tag “{name[:30]}…” is longer than {limit} characters; shorten it.",
                code="tag_too_long",
            )
        if not slugify(name, allow_unicode=True):
            raise ValidationError(
                f"The tag “{name}” has no letters or digits, so it cannot have an address; "
                "use a word instead.",
                code="tag_without_slug",
            )
    return names
