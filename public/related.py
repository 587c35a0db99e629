"""Stories to read next: the ones sharing the most people and tags, and more from the section."""

from django.db import connections
from django.db.models import IntegerField, Value
from django.db.models.expressions import RawSQL
from taggit.models import Tag

from articles.models import Article, Person, Section, TaggedArticle
from pagecache import keys

RELATED_STORIES = 4
MORE_FROM_SECTION = 4
# The newsroom reports on people: a person in common counts twice as much as a topic.
SHARED_PERSON_WEIGHT = 2
SHARED_TAG_WEIGHT = 1
# Candidates are the newest articles of each of the story's people and tags, ten of each: a head
# of state may be named in ten thousand articles, and ranking them all would make the page's
# cost grow with the archive. "Newest" by id, the order articles were written in, so each is a
# short read of an index (person, article) or (tag, article).
CANDIDATES_PER_LINK = 10


# The SQL below is written by hand: the ORM cannot limit the parts of a union on every database,
# and building these as ORM subqueries cost more time in Python than the database spends on them.
# Table and column names come from the models; ids are parameters.


def _links(people: list[int], tags: list[int]):
    """(table, link column, article column, ids, weight) for the article–person and article–tag links."""
    quote = connections[Article.objects.db].ops.quote_name
    for model, link, article_field, ids, weight in (
        (Article.people.through, "person", "article", people, SHARED_PERSON_WEIGHT),
        (TaggedArticle, "tag", "content_object", tags, SHARED_TAG_WEIGHT),
    ):
        if ids:
            yield (
                quote(model._meta.db_table),
                quote(model._meta.get_field(link).column),
                quote(model._meta.get_field(article_field).column),
                ids,
                weight,
            )


def _newest_linked(people: list[int], tags: list[int]) -> RawSQL:
    """
    The ids of the newest CANDIDATES_PER_LINK articles naming each person and carrying each tag:
    a UNION ALL of short index reads.
    """
    parts, params = [], []
    for table, link_column, article_column, ids, _weight in _links(people, tags):
        for pk in ids:
            newest = (
                f"SELECT {article_column} FROM {table} WHERE {link_column} = %s "
                f"ORDER BY {article_column} DESC LIMIT {CANDIDATES_PER_LINK}"
            )
            parts.append(f"SELECT {article_column} FROM ({newest}) AS newest")
            params.append(pk)
    return RawSQL(" UNION ALL ".join(parts), params)


def _relevance(people: list[int], tags: list[int]) -> RawSQL:
    """The people (twice) and tags an article shares with the story, counted for each candidate."""
    quote = connections[Article.objects.db].ops.quote_name
    article = f"{quote(Article._meta.db_table)}.{quote(Article._meta.pk.column)}"
    terms, params = [], []
    for table, link_column, article_column, ids, weight in _links(people, tags):
        placeholders = ", ".join(["%s"] * len(ids))
        terms.append(
            f"{weight} * (SELECT COUNT(*) FROM {table} WHERE {table}.{article_column} = {article} "
            f"AND {table}.{link_column} IN ({placeholders}))"
        )
        params += ids
    return RawSQL(" + ".join(terms), params, output_field=IntegerField())


def linked_ids(article: Article) -> tuple[list[int], list[int]]:
    """
    The ids of the people ``article`` names and the tags it carries: prefetched with its story,
    or else read in one query, with no rows made (only their lists are shown under it).
    """
    fetched = getattr(article, "_prefetched_objects_cache", {})
    if "people" in fetched and "tags" in fetched:
        return [person.pk for person in article.people.all()], [tag.pk for tag in article.tags.all()]
    people = Article.people.through.objects.filter(article=article.pk).values_list(Value(0), "person")
    tags = TaggedArticle.objects.filter(content_object=article.pk).values_list(Value(1), "tag")
    linked: tuple[list[int], list[int]] = ([], [])
    for kind, pk in people.union(tags, all=True):
        linked[kind].append(pk)
    return linked


def related_articles(
    article: Article, limit: int = RELATED_STORIES, linked: tuple[list[int], list[int]] | None = None
) -> list[Article]:
    """
    Published articles sharing people or tags with ``article``, the most shared first, in one
    query; among the newest CANDIDATES_PER_LINK articles of each of its people and tags
    (``linked``: their ids, when they were read already).
    """
    people, tags = linked if linked is not None else linked_ids(article)
    keys.record(*(keys.list_of_pk(Person, pk) for pk in people), *(keys.list_of_pk(Tag, pk) for pk in tags))
    if not people and not tags:
        return []
    return list(
        Article.objects.published()
        .exclude(pk=article.pk)
        .filter(pk__in=_newest_linked(people, tags))
        .annotate(relevance=_relevance(people, tags))
        .select_related("section", "lead_image")
        .only(*keys.ARTICLE_BRIEF)  # briefs: a standfirst edited elsewhere leaves this page be
        .order_by("-relevance", "-published_at", "pk")[:limit]
    )


def more_from_section(article: Article, exclude=(), limit: int = MORE_FROM_SECTION) -> list[Article]:
    """The section's latest other published articles, leaving out ``exclude`` (shown already)."""
    if article.section_id is None:
        return []
    keys.record(keys.list_of_pk(Section, article.section_id))
    return list(
        Article.objects.published()
        .filter(section=article.section_id)
        .exclude(pk__in=[article.pk, *(other.pk for other in exclude)])
        .select_related("section", "lead_image")
        .only(*keys.ARTICLE_BRIEF)[:limit]
    )
