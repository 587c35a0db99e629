"""
Counting whom the newsroom quotes: every number of the sources dashboard and of a story's
sources panel. Only published quotes count (Quote.objects.published(): drafts, stories in review
and withdrawn stories never; scheduled ones from their publication time). Each breakdown is one
grouped query, so a dashboard costs the same few queries whatever the archive's size.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Length, Replace, TruncMonth
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Author, Quote, Section, TaggedArticle
from sources.models import DIMENSIONS, UNKNOWN, Gender, SourceType, Target

# Words are counted as spaces plus one, in the database: a quote is stored as typed, one space
# between words (what tidy_quote keeps), so this matches a count by eye.
WORDS = Length("text") - Length(Replace("text", Value(" "), Value(""))) + 1

GROUPINGS = {
    "total": Value("All"),
    "month": TruncMonth("article__published_at"),
    "section": F("article__section__name"),
    # A story with two authors counts for each of them.
    "author": F("article__authors__display_name"),
}
NO_AUTHOR = "No staff byline"


@dataclass
class Filters:
    """What the dashboard is asked about; every field empty means the whole newsroom, all time."""

    start: datetime.date | None = None
    end: datetime.date | None = None
    section: Section | None = None
    author: Author | None = None
    tag: Tag | None = None
    origin: str = ""  # "own", "wire" or "unknown"; empty for every quote

    def as_text(self) -> str:
        parts = [
            f"from {self.start:%Y-%m-%d}" if self.start else "",
            f"to {self.end:%Y-%m-%d}" if self.end else "",
            f"section {self.section}" if self.section else "",
            f"author {self.author}" if self.author else "",
            f"topic {self.tag}" if self.tag else "",
            f"origin {self.origin}" if self.origin else "",
        ]
        return ", ".join(part for part in parts if part) or "all published quotes"


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def owned_stories(user) -> Q:
    """A quote in a story the user created or has a byline on: a reporter's own."""
    bylines = Article.authors.through.objects.filter(article=OuterRef("article"), author__user=user)
    return Q(article__created_by=user) | Q(Exists(bylines))


def counted_quotes(filters: Filters, user=None) -> QuerySet:
    """
    The published quotes the filters choose; with ``user``, only in that user's own stories.
    Author and topic are Exists() tests, not joins, so that a quote is never counted twice.
    """
    quotes = Quote.objects.published().order_by()
    if filters.start:
        quotes = quotes.filter(article__published_at__gte=_day_start(filters.start))
    if filters.end:
        quotes = quotes.filter(article__published_at__lt=_day_start(filters.end + datetime.timedelta(days=1)))
    if filters.section:
        quotes = quotes.filter(article__section=filters.section)
    if filters.author:
        bylines = Article.authors.through.objects.filter(article=OuterRef("article"), author=filters.author)
        quotes = quotes.filter(Exists(bylines))
    if filters.tag:
        tagged = TaggedArticle.objects.filter(content_object=OuterRef("article"), tag=filters.tag)
        quotes = quotes.filter(Exists(tagged))
    if filters.origin == UNKNOWN:
        quotes = quotes.filter(Q(origin__isnull=True) | Q(origin__origin=UNKNOWN))
    elif filters.origin:
        quotes = quotes.filter(origin__origin=filters.origin)
    if user is not None:
        quotes = quotes.filter(owned_stories(user))
    return quotes


def category_of(dimension: str) -> Coalesce:
    """The recorded value along a quote's path to it; no record at all is unknown."""
    return Coalesce(F(DIMENSIONS[dimension][1]), Value(UNKNOWN))


def share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Cell:
    category: str
    label: str
    quotes: int = 0
    speakers: int = 0
    words: int = 0
    quote_share: float | None = None
    speaker_share: float | None = None


@dataclass
class Group:
    """One row of a breakdown: a month, a section, an author or everything, by category."""

    key: object
    label: str
    cells: list[Cell]
    quotes: int = 0
    speakers: int = 0

    @property
    def unknown(self) -> Cell:
        return self.cells[-1]


@dataclass
class Breakdown:
    dimension: str
    grouping: str
    groups: list[Group] = field(default_factory=list)

    @property
    def title(self) -> str:
        return {"gender": "Gender", "source_type": "Source type", "origin": "Origin"}[self.dimension]

    @property
    def categories(self) -> list[tuple[str, str]]:
        choices = DIMENSIONS[self.dimension][0]
        known = [(value, label) for value, label in choices.choices if value != UNKNOWN]
        return [*known, (UNKNOWN, "Unknown")]


def breakdown(quotes: QuerySet, dimension: str, grouping: str = "total") -> Breakdown:
    """Quotes, distinct people quoted and words quoted by category of ``dimension``: one query."""
    return breakdowns(quotes, (dimension,), grouping)[0]


def breakdowns(quotes: QuerySet, dimensions: tuple[str, ...], grouping: str = "total") -> list[Breakdown]:
    """
    Quotes, distinct people quoted and words quoted, by category of each of ``dimensions``, for
    each group of ``grouping``: one query, grouped by every dimension at once. A person has one
    record, so each of its cells holds whole people, and summing cells over the other dimensions
    gives each category's distinct people without a query of its own. Origin is a quote's, not a
    person's: one person may be quoted from the wire and from our reporting, so with origin
    there are no people shares.
    """
    names = [f"category_{index}" for index in range(len(dimensions))]
    categories = {name: category_of(dimension) for name, dimension in zip(names, dimensions, strict=True)}
    rows = (
        quotes.annotate(group=GROUPINGS[grouping], **categories)
        .values("group", *names)
        .annotate(quotes=Count("pk"), speakers=Count("speaker", distinct=True), words=Sum(WORDS))
        .order_by()
    )
    counted = [defaultdict(lambda: defaultdict(lambda: [0, 0, 0])) for _ in dimensions]
    for row in rows:
        for index, name in enumerate(names):
            totals = counted[index][row["group"]][row[name]]
            totals[0] += row["quotes"]
            totals[1] += row["speakers"]
            totals[2] += row["words"] or 0
    return [_breakdown(dimension, grouping, counted[index]) for index, dimension in enumerate(dimensions)]


def _breakdown(dimension: str, grouping: str, counted: dict) -> Breakdown:
    result = Breakdown(dimension, grouping)
    for key in sorted(counted, key=lambda key: (key is None, key)):
        cells = [
            Cell(category, label, *counted[key].get(category, (0, 0, 0)))
            for category, label in result.categories
        ]
        group = Group(key, _group_label(grouping, key), cells)
        group.quotes = sum(cell.quotes for cell in cells)
        group.speakers = sum(cell.speakers for cell in cells) if dimension != "origin" else None
        for cell in cells:
            cell.quote_share = share(cell.quotes, group.quotes)
            if group.speakers is not None:
                cell.speaker_share = share(cell.speakers, group.speakers)
        result.groups.append(group)
    return result


def _group_label(grouping: str, key) -> str:
    if grouping == "month":
        return f"{key:%Y-%m}"
    if grouping == "author" and key is None:
        return NO_AUTHOR
    return "No section" if key is None else str(key)


def most_quoted(quotes: QuerySet, limit: int = 20) -> list[dict]:
    """The people quoted most often, with their words quoted and recorded categories: one query."""
    rows = list(
        quotes.values("speaker", "speaker__name", "speaker__affiliation")
        .annotate(
            quotes=Count("pk"),
            words=Sum(WORDS),
            stories=Count("article", distinct=True),
            gender=category_of("gender"),
            source_type=category_of("source_type"),
        )
        .order_by("-quotes", "-words", "speaker__name")[:limit]
    )
    for row in rows:
        row["gender_label"] = Gender(row["gender"]).label
        row["source_type_label"] = SourceType(row["source_type"]).label
    return rows


def most_quoted_organisations(quotes: QuerySet, limit: int = 10) -> list[dict]:
    """Affiliations (government, party, company…) by the quotes of the people who belong to them."""
    return list(
        quotes.exclude(speaker__affiliation="")
        .values("speaker__affiliation")
        .annotate(quotes=Count("pk"), speakers=Count("speaker", distinct=True), words=Sum(WORDS))
        .order_by("-quotes", "speaker__affiliation")[:limit]
    )


# Targets: progress in the period running now, all targets in one query.


def period_start(period: str, now: datetime.datetime) -> datetime.datetime:
    day = timezone.localtime(now).date().replace(day=1)
    if period == Target.Period.QUARTER:
        day = day.replace(month=(day.month - 1) // 3 * 3 + 1)
    elif period == Target.Period.YEAR:
        day = day.replace(month=1)
    return _day_start(day)


@dataclass
class Progress:
    target: Target
    since: datetime.datetime
    counted: int
    reached: int
    unknown: int

    @property
    def share(self) -> float | None:
        return share(self.reached, self.counted)

    @property
    def unknown_share(self) -> float | None:
        return share(self.unknown, self.counted)

    @property
    def met(self) -> bool:
        return self.share is not None and self.share >= self.target.share


def progress(targets: list[Target], quotes: QuerySet) -> list[Progress]:
    """Each target's share so far in its current period (quotes: the scope, without date filters)."""
    if not targets:
        return []
    now = timezone.now()
    aggregates, windows = {}, {}
    for target in targets:
        since = windows[target.pk] = period_start(target.period, now)
        within = Q(article__published_at__gte=since)
        if target.section_id:
            within &= Q(article__section_id=target.section_id)
        path = DIMENSIONS[target.dimension][1]
        unknown = Q(**{f"{path}__isnull": True}) | Q(**{path: UNKNOWN})
        counted = "pk" if target.measure == Target.Measure.QUOTES else "speaker"
        distinct = counted == "speaker"
        aggregates[f"t{target.pk}_all"] = Count(counted, distinct=distinct, filter=within)
        aggregates[f"t{target.pk}_hit"] = Count(
            counted, distinct=distinct, filter=within & Q(**{path: target.category})
        )
        aggregates[f"t{target.pk}_unknown"] = Count(counted, distinct=distinct, filter=within & unknown)
    totals = quotes.aggregate(**aggregates)
    return [
        Progress(
            target,
            windows[target.pk],
            totals[f"t{target.pk}_all"],
            totals[f"t{target.pk}_hit"],
            totals[f"t{target.pk}_unknown"],
        )
        for target in targets
    ]


# A story's sources, for its form: who is quoted, how many words each, their categories.


@dataclass
class StorySource:
    person: object
    quotes: int
    words: int
    gender: str
    source_type: str
    origins: list[str]


def story_sources(article: Article) -> list[StorySource]:
    """Every person quoted in the story, draft or not, most words first: one query."""
    quotes = article.quotes.select_related("speaker__source_profile", "origin").order_by("order")
    people: dict[int, StorySource] = {}
    for quote in quotes:
        profile = getattr(quote.speaker, "source_profile", None)
        source = people.setdefault(
            quote.speaker_id,
            StorySource(
                quote.speaker,
                0,
                0,
                profile.get_gender_display() if profile else "Unknown",
                profile.get_source_type_display() if profile else "Unknown",
                [],
            ),
        )
        source.quotes += 1
        source.words += len(quote.text.split())
        origin = getattr(quote, "origin", None)
        label = origin.get_origin_display() if origin else "Unknown"
        if label not in source.origins:
            source.origins.append(label)
    return sorted(people.values(), key=lambda source: (-source.words, source.person.name))


def words_per_person(total: Breakdown) -> dict[str, int | float | None]:
    """Words quoted per distinct person, from a person-dimension breakdown's total: no query."""
    group = total.groups[0] if total.groups else None
    words = sum(cell.words for cell in group.cells) if group else 0
    people = group.speakers if group else 0
    return {"words": words, "people": people, "per_person": round(words / people, 1) if people else None}
