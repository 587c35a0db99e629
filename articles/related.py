"""Stories to read next: the ones sharing the most people and tags, and more from the section."""

from django.db import connections
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from articles.models import Article, TaggedArticle

RELATED_STORIES = 4
MORE_FROM_SECTION = 4
# The newsroom reports on people: a person in common counts twice as much as a topic.
SHARED_PERSON_WEIGHT = 2
SHARED_TAG_WEIGHT = 1
# Candidates are the newest articles of each of the story's people and tags, this many of each:
# a head of state may be named in ten thousand articles, and ranking them all would make the
# page's cost grow with the archive. "Newest" by id, the order articles were written in, so each
# is a short read of an index (person, article) or (tag, article).
CANDIDATES_PER_LINK = 30


def _count(queryset, outer_field: str) -> Coalesce:
    """How many rows of ``queryset`` point at the outer article (0 for none), as a subquery."""
    counted = (
        queryset.filter(**{outer_field: OuterRef("pk")})
        .order_by()
        .values(outer_field)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def related_articles(article: Article, limit: int = RELATED_STORIES) -> list[Article]:
    """
    Published articles sharing people or tags with ``article``, the most shared first, in one
    query; among the newest CANDIDATES_PER_LINK articles of each of its people and tags.
    """
    people = [person.pk for person in article.people.all()]
    tags = [tag.pk for tag in article.tags.all()]
    if not people and not tags:
        return []
    naming = Article.people.through.objects.filter(person__in=people)
    tagged = TaggedArticle.objects.filter(tag__in=tags)
    newest = [
        *(naming.filter(person=person).order_by("-article_id").values("article_id") for person in people),
        *(tagged.filter(tag=tag).order_by("-content_object_id").values("content_object_id") for tag in tags),
    ]
    newest = [links[:CANDIDATES_PER_LINK] for links in newest]
    if connections[Article.objects.db].features.supports_slicing_ordering_in_compound:
        # One UNION ALL of short index reads (PostgreSQL): a few hundred ids, joined by key.
        candidates = Q(pk__in=newest[0].union(*newest[1:], all=True))
    else:
        candidates = Q()
        for links in newest:
            candidates |= Q(pk__in=links)
    return list(
        Article.objects.published()
        .exclude(pk=article.pk)
        .filter(candidates)
        .annotate(
            shared_people=_count(naming, "article"),
            shared_tags=_count(tagged, "content_object"),
            relevance=SHARED_PERSON_WEIGHT * F("shared_people") + SHARED_TAG_WEIGHT * F("shared_tags"),
        )
        .select_related("section")
        .order_by("-relevance", "-published_at", "pk")[:limit]
    )


def more_from_section(article: Article, exclude=(), limit: int = MORE_FROM_SECTION) -> list[Article]:
    """The section's latest other published articles, leaving out ``exclude`` (shown already)."""
    if article.section_id is None:
        return []
    return list(
        Article.objects.published()
        .filter(section=article.section_id)
        .exclude(pk__in=[article.pk, *(other.pk for other in exclude)])
        .select_related("section")[:limit]
    )
