"""
Writes a synthetic archive (made up by synthetic.synthetic) into the database, in bulk: one
INSERT per table per batch of articles, never one per row, then the search documents of all
of them in one statement. Everything it writes is marked: slugs start with "synthetic-",
bylines read "Synthetic archive", and section names end in "(synthetic)".
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, fields

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from taggit.models import Tag

import bodytext
from articles.models import Article, ArticleNote, Author, Person, Quote, Section, TaggedArticle
from articles.search import update_search_documents
from pagecache import purges as caching
from sources.models import QuoteOrigin, SourceProfile
from synthetic.synthetic import LABEL, SECTIONS, SLUG_PREFIX, SyntheticArchive, SyntheticArticle

DELETE_BATCH = 2000

# Plausible source records for measuring the sources dashboard: a newsroom that quotes more men
# than women, has recorded most people but not all, and runs some wire copy.
GENDERS = [("man", 52), ("woman", 30), ("non-binary", 1), ("another", 1), ("unknown", 16)]
SOURCE_TYPES = {
    "Prime Minister": "official", "finance minister": "official", "foreign minister": "official",
    "opposition leader": "official", "mayor": "official", "central bank governor": "official",
    "spokesperson": "spokesperson", "chief executive": "business", "union leader": "other",
    "professor of economics": "expert", "climate scientist": "expert", "senior analyst": "expert",
}  # fmt: skip
ORIGINS = [("own", 60), ("wire", 25), (None, 15)]


def _pick(rng: random.Random, weighted):
    return rng.choices([value for value, _ in weighted], [weight for _, weight in weighted])[0]


def source_record(rng: random.Random, person, row: Person) -> SourceProfile | None:
    """A person's made-up record; about one in ten has none, which counts as unknown."""
    if rng.random() < 0.1:
        return None
    gender = _pick(rng, GENDERS)
    basis = "" if gender == "unknown" else rng.choice(["self", "editor", "editor"])
    source_type = SOURCE_TYPES.get(person.role, "other") if rng.random() < 0.9 else "unknown"
    place = person.affiliation.rsplit(" ", 1)[-1]
    return SourceProfile(person=row, gender=gender, gender_basis=basis, source_type=source_type, place=place)


@dataclass
class ArchiveCounts:
    """How many rows of each kind an archive has (or would have)."""

    sections: int = 0
    people: int = 0
    tags: int = 0
    authors: int = 0
    articles: int = 0
    quotes: int = 0
    people_named: int = 0
    tags_given: int = 0
    bylines: int = 0
    corrections: int = 0

    def add(self, article: SyntheticArticle) -> None:
        self.articles += 1
        self.quotes += len(article.quotes)
        self.people_named += len(article.people)
        self.tags_given += len(article.tags)
        self.bylines += article.author is not None
        self.corrections += bool(article.correction)

    def as_text(self) -> str:
        return ", ".join(
            f"{getattr(self, field.name):,} {field.name.replace('_', ' ')}" for field in fields(self)
        )


def _synthetic(queryset: QuerySet, field: str = "slug") -> QuerySet:
    return queryset.filter(**{f"{field}__startswith": SLUG_PREFIX})


def synthetic_content_exists(using: str) -> bool:
    return any(
        _synthetic(model.objects.using(using)).exists() for model in (Article, Person, Section, Tag, Author)
    )


def count_archive(archive: SyntheticArchive) -> ArchiveCounts:
    """What ``write_archive`` would write, without writing."""
    counts = ArchiveCounts(
        len(archive.sections), len(archive.people), len(archive.tags), len(archive.authors)
    )
    for article in archive.articles():
        counts.add(article)
    return counts


def delete_synthetic(using: str) -> int:
    """Delete every synthetic row; returns how many articles went. Real content is left alone."""
    articles = _synthetic(Article.objects.using(using))
    deleted = 0
    with caching.batched_changes():
        # In batches: deleting an article also deletes its quotes one signal at a time.
        while ids := list(articles.values_list("pk", flat=True)[:DELETE_BATCH]):
            Article.objects.using(using).filter(pk__in=ids).delete()
            deleted += len(ids)
        for model in (Person, Section, Tag, Author):
            _synthetic(model.objects.using(using)).delete()
        _synthetic(get_user_model().objects.using(using), "username").delete()
    return deleted


def _chunks(articles, size: int):
    chunk = []
    for article in articles:
        chunk.append(article)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_archive(
    archive: SyntheticArchive,
    until: datetime.datetime,
    using: str,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> ArchiveCounts:
    """Insert the archive, ending at ``until``, in one transaction; returns what was written."""
    counts = ArchiveCounts(
        len(archive.sections), len(archive.people), len(archive.tags), len(archive.authors)
    )
    with transaction.atomic(using=using), caching.batched_changes():
        sections = Section.objects.using(using).bulk_create(
            Section(
                name=name,
                slug=archive.section_slug(index),
                description=f"Made-up {SECTIONS[index].lower()} articles of the {LABEL.lower()}, "
                "for measuring the site.",
                order=100 + index,
            )
            for index, name in enumerate(archive.sections)
        )
        people = Person.objects.using(using).bulk_create(
            Person(
                name=person.name,
                slug=person.slug,
                role=person.role,
                affiliation=person.affiliation,
                bio=person.bio,
                aliases=person.surname,
            )
            for person in archive.people
        )
        archive_rng = random.Random(f"{archive.seed}:sources")
        records = [
            source_record(archive_rng, person, row)
            for person, row in zip(archive.people, people, strict=True)
        ]
        SourceProfile.objects.using(using).bulk_create([record for record in records if record])
        tags = Tag.objects.using(using).bulk_create(
            Tag(name=name, slug=archive.tag_slug(index)) for index, name in enumerate(archive.tags)
        )
        users = (
            get_user_model()
            .objects.using(using)
            .bulk_create(
                get_user_model()(
                    username=archive.author_slug(index), password=make_password(None), is_active=False
                )
                for index in range(len(archive.authors))
            )
        )
        authors = Author.objects.using(using).bulk_create(
            Author(
                user=user,
                display_name=name,
                slug=archive.author_slug(index),
                bio=f"A made-up reporter of the {LABEL.lower()}.",
            )
            for index, (user, name) in enumerate(zip(users, archive.authors, strict=True))
        )

        for chunk in _chunks(archive.articles(), batch_size):
            rows = Article.objects.using(using).bulk_create(
                [
                    Article(
                        headline=article.headline,
                        slug=article.slug,
                        dek=article.dek,
                        body=article.body,
                        body_text=bodytext.plain_text(article.body),
                        section=sections[article.section],
                        byline=LABEL,
                        status=article.status,
                        published_at=(
                            None if article.published_offset is None else until + article.published_offset
                        ),
                    )
                    for article in chunk
                ],
                batch_size=batch_size,
            )
            quotes, named, tagged, bylines, notes = [], [], [], [], []
            for article, row in zip(chunk, rows, strict=True):
                counts.add(article)
                quotes += [
                    Quote(article=row, speaker=people[quote.speaker], text=quote.text, order=quote.order)
                    for quote in article.quotes
                ]
                named += [
                    Article.people.through(article=row, person=people[index]) for index in article.people
                ]
                tagged += [TaggedArticle(content_object=row, tag=tags[index]) for index in article.tags]
                if article.author is not None:
                    bylines.append(Article.authors.through(article=row, author=authors[article.author]))
                if article.correction:
                    noted_at = min(row.published_at + datetime.timedelta(days=1), until)
                    notes.append(ArticleNote(article=row, text=article.correction, noted_at=noted_at))
            Quote.objects.using(using).bulk_create(quotes, batch_size=batch_size)
            origins = [(quote, _pick(archive_rng, ORIGINS)) for quote in quotes]
            QuoteOrigin.objects.using(using).bulk_create(
                [QuoteOrigin(quote=quote, origin=origin) for quote, origin in origins if origin],
                batch_size=batch_size,
            )
            Article.people.through.objects.using(using).bulk_create(named, batch_size=batch_size)
            TaggedArticle.objects.using(using).bulk_create(tagged, batch_size=batch_size)
            Article.authors.through.objects.using(using).bulk_create(bylines, batch_size=batch_size)
            ArticleNote.objects.using(using).bulk_create(notes, batch_size=batch_size)
            if progress:
                progress(counts.articles)

        # bulk_create sends no signals: the search documents are filled here, in one statement.
        update_search_documents(_synthetic(Article.objects.using(using)))
        caching.content_changed()
    return counts


def landmarks(using: str) -> dict[str, str]:
    """
    The addresses of the synthetic archive's telling pages, for a benchmark or a look around:
    its newest public article, its most quoted person, its biggest tag and section, a search
    for a well-known name (the person at the tenth percentile of articles naming them) and a
    broad one (the most named).
    """
    public = _synthetic(Article.objects.using(using).published())
    article = public.order_by("-published_at").first()
    if article is None:
        return {}
    people = _synthetic(Person.objects.using(using))
    person = people.annotate(quoted=Count("quotes")).order_by("-quoted", "pk").first()
    by_fame = list(
        people.annotate(named=Count("articles")).order_by("-named", "pk").values_list("aliases", flat=True)
    )
    tag = (
        _synthetic(Tag.objects.using(using))
        .annotate(tagged=Count("articles_taggedarticle_items"))
        .order_by("-tagged", "pk")
        .first()
    )
    return {
        "article": article.get_absolute_url(),
        "front": reverse("articles:front-page"),
        "person": person.get_absolute_url(),
        "tag": reverse("articles:tag", kwargs={"slug": tag.slug}),
        "section": article.section.get_absolute_url(),
        "search": f"{reverse('articles:search')}?{urlencode({'q': by_fame[len(by_fame) // 10]})}",
        "search-broad": f"{reverse('articles:search')}?{urlencode({'q': by_fame[0]})}",
    }
