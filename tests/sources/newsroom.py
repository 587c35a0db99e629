"""
A hand-counted newsroom: a dozen stories, every category of source, drafts, a story in review,
a withdrawn and a scheduled one. The expected numbers below were counted by hand from this table,
not computed; the tests compare the reports with them.
"""

import datetime

from django.utils import timezone

from articles.models import Article, Author, Person
from sources.models import QuoteOrigin, SourceProfile
from tests.factories import ArticleFactory, QuoteFactory, SectionFactory

# "Now" for these tests: 20 November 2026, noon UTC.
NOW = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC)
SCHEDULED_AT = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC)

# name: (gender, basis, source type, place); None: no record at all.
PEOPLE = {
    "Wanda One": ("woman", "self", "official", "Lusor"),
    "Wilma Two": ("woman", "editor", "expert", "Port Telmar"),
    "Mark One": ("man", "editor", "official", ""),
    "Milo Two": ("man", "self", "business", ""),
    "Noa Enby": ("non-binary", "self", "citizen", ""),
    "Ari Another": ("another", "self", "spokesperson", ""),
    "Una Unrecorded": None,
    "Umar Unknown": ("unknown", "", "journalist", ""),
}


def day(month: int, date: int) -> datetime.datetime:
    return datetime.datetime(2026, month, date, 10, 0, tzinfo=datetime.UTC)


# (key, section, authors, tags, status, published_at, quotes as (speaker, words, origin))
STORIES = [
    (
        "s1",
        "a",
        ["rita"],
        ["Floods"],
        "published",
        day(10, 5),
        [("Wanda One", 4, "own"), ("Mark One", 3, "wire")],
    ),
    (
        "s2",
        "a",
        ["edna"],
        [],
        "published",
        day(10, 12),
        [("Mark One", 2, "wire"), ("Mark One", 5, None), ("Una Unrecorded", 3, None)],
    ),
    (
        "s3",
        "b",
        ["rita"],
        ["Floods"],
        "published",
        day(11, 2),
        [("Wilma Two", 6, None), ("Noa Enby", 2, None)],
    ),
    (
        "s4",
        "b",
        ["rita", "edna"],
        [],
        "published",
        day(11, 3),
        [("Milo Two", 3, None), ("Ari Another", 4, None)],
    ),
    ("s5", "a", [], [], "published", day(11, 10), [("Umar Unknown", 3, None), ("Wanda One", 2, None)]),
    ("s6", "b", ["edna"], [], "published", day(11, 15), [("Wanda One", 5, None)]),
    ("s7", "a", ["rita"], [], "draft", None, [("Wilma Two", 7, None)]),
    ("s8", "a", ["rita"], [], "review", None, [("Wilma Two", 7, None)]),
    ("s9", "b", ["edna"], [], "withdrawn", day(11, 1), [("Wilma Two", 7, None), ("Mark One", 7, None)]),
    ("s10", "b", ["edna"], [], "published", SCHEDULED_AT, [("Mark One", 8, None)]),
    ("s11", "a", ["rita"], [], "published", day(11, 18), [("Mark One", 1, "unknown")]),
    ("s12", "b", [], [], "published", day(9, 30), [("Noa Enby", 3, None)]),
]

# Counted by hand, at NOW (s7, s8, s9 never; s10 not yet): 14 quotes by 8 people.
QUOTES_BY_GENDER = {"woman": 4, "man": 5, "non-binary": 2, "another": 1, "unknown": 2}
PEOPLE_BY_GENDER = {"woman": 2, "man": 2, "non-binary": 1, "another": 1, "unknown": 2}
WORDS_BY_GENDER = {"woman": 17, "man": 14, "non-binary": 5, "another": 4, "unknown": 6}
QUOTES_BY_TYPE = {
    "official": 7,
    "expert": 1,
    "spokesperson": 1,
    "business": 1,
    "citizen": 2,
    "journalist": 1,
    "other": 0,
    "unknown": 1,
}
QUOTES_BY_ORIGIN = {"own": 1, "wire": 2, "unknown": 11}
MONTHS_BY_GENDER = {
    "2026-09": {"woman": 0, "man": 0, "non-binary": 1, "another": 0, "unknown": 0},
    "2026-10": {"woman": 1, "man": 3, "non-binary": 0, "another": 0, "unknown": 1},
    "2026-11": {"woman": 3, "man": 2, "non-binary": 1, "another": 1, "unknown": 1},
}
SECTIONS_BY_GENDER = {
    "Section A": {"woman": 2, "man": 4, "non-binary": 0, "another": 0, "unknown": 2},
    "Section B": {"woman": 2, "man": 1, "non-binary": 2, "another": 1, "unknown": 0},
}
AUTHORS_BY_GENDER = {
    "Edna": {"woman": 1, "man": 3, "non-binary": 0, "another": 1, "unknown": 1},
    "No staff byline": {"woman": 1, "man": 0, "non-binary": 1, "another": 0, "unknown": 1},
    "Rita": {"woman": 2, "man": 3, "non-binary": 1, "another": 1, "unknown": 0},
}
MOST_QUOTED = [("Mark One", 4, 11), ("Wanda One", 3, 11)]  # (name, quotes, words)


def build(make_staff) -> dict:
    """The stories, people and records above; returns the stories and people by key and name."""
    rita, edna = make_staff("rita", "Reporter"), make_staff("edna", "Editor")
    authors = {"rita": Author.objects.get(user=rita), "edna": Author.objects.get(user=edna)}
    sections = {
        "a": SectionFactory(name="Section A", slug="a"),
        "b": SectionFactory(name="Section B", slug="b"),
    }
    people = {}
    for index, (name, record) in enumerate(PEOPLE.items()):
        people[name] = Person.objects.create(name=name, slug=f"hand-{index}", affiliation=f"Org {name[0]}")
        if record:
            gender, basis, source_type, place = record
            SourceProfile.objects.create(
                person=people[name], gender=gender, gender_basis=basis, source_type=source_type, place=place
            )
    stories = {}
    for key, section, bylines, tags, status, published_at, quotes in STORIES:
        article = ArticleFactory(
            headline=f"Story {key}",
            slug=key,
            section=sections[section],
            status=status,
            published_at=published_at,
            body=" ".join(["word"] * 10),  # every quote's words, as the article form checks
        )
        article.authors.add(*(authors[name] for name in bylines))
        article.tags.add(*tags)
        for order, (speaker, words, origin) in enumerate(quotes, start=1):
            quote = QuoteFactory(
                article=article, speaker=people[speaker], order=order, text=" ".join(["word"] * words)
            )
            if origin:
                QuoteOrigin.objects.create(quote=quote, origin=origin)
        stories[key] = article
    return {
        "stories": stories,
        "people": people,
        "sections": sections,
        "authors": authors,
        "rita": rita,
        "edna": edna,
    }


def published_now(article: Article) -> bool:
    return article.published_at is not None and article.published_at <= timezone.now()
