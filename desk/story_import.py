"""
Saves a story read from plain-text copy (ingest) as a draft article: people on file
matched by name or alias, new people created with the role the copy gives them, quotes in
order. Shared by the import_article command and anything else that imports copy.
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from articles.models import Article, Person, Quote, Section
from articles.quoting import first_missing_words
from bodytext import from_plain
from ingest import FoundPerson, KnownPerson, Story, parse_story

_FIRST_CLAUSE = re.compile(r"(?<=[?!:])\s+|\s+[—–|]\s+")


def article_slug(headline: str) -> str:
    """The headline's slug; a headline in two parts ("…Call? Insights into…") keeps the first."""
    first = _FIRST_CLAUSE.split(headline, maxsplit=1)[0]
    if len(first.split()) >= 4:
        headline = first
    max_length = Article._meta.get_field("slug").max_length
    return slugify(headline)[:max_length].strip("-") or "article"


@dataclass
class PersonPlan:
    found: FoundPerson
    person: Person  # on file, or new and not yet saved
    is_new: bool


@dataclass
class ImportPlan:
    story: Story
    slug: str
    section: Section
    people: list[PersonPlan]
    existing: Article | None  # the same story, imported before

    @property
    def quotes(self) -> list:
        """The quotes to save: decided, and word for word in the body."""
        return [
            quote for quote in self.story.attributed if not first_missing_words(quote.text, self.story.body)
        ]

    def person(self, name: str) -> Person:
        return next(plan.person for plan in self.people if plan.found.name == name)


def plan_import(text: str, section: Section) -> ImportPlan:
    """Read the copy and decide what saving it would do; writes nothing."""
    on_file = list(Person.objects.only("pk", "name", "slug", "role", "aliases"))
    by_name: dict[str, Person] = {}
    for person in on_file:
        by_name.setdefault(person.name, person)
    for person in on_file:
        for alias in person.alias_list:
            by_name.setdefault(alias, person)

    story = parse_story(text, [KnownPerson(person.name, tuple(person.alias_list)) for person in on_file])
    slug = article_slug(story.headline)
    body = from_plain(story.body)
    existing = Article.objects.filter(slug=slug).first() or Article.objects.filter(body=body).first()

    taken_slugs: set[str] = set()
    people = []
    for found in story.people:
        person = by_name.get(found.name)
        if person is not None:
            people.append(PersonPlan(found, person, is_new=False))
            continue
        new = Person(
            name=found.name,
            slug=_free_person_slug(found.name, taken_slugs),
            role=found.role,
            aliases="\n".join(found.aliases),
        )
        taken_slugs.add(new.slug)
        people.append(PersonPlan(found, new, is_new=True))
    return ImportPlan(story, slug, section, people, existing)


def _free_person_slug(name: str, taken: set[str]) -> str:
    max_length = Person._meta.get_field("slug").max_length
    base = slugify(name)[: max_length - 4].strip("-") or "person"
    used = taken | set(Person.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in used:
        slug, number = f"{base}-{number}", number + 1
    return slug


def save_import(plan: ImportPlan, tags: list[str] = (), user=None) -> Article:
    """
    Create the article as a draft, its new people and its quotes in one transaction. ``user``,
    who imported it (in the admin), is recorded as its creator and, with an author profile, its
    author, unless the copy's byline credits someone else (Article.credit_writer). Publishing is
    left to an editor, through the workflow and its checks: copy has no standfirst, for one.
    """
    with transaction.atomic():
        for person_plan in plan.people:
            if person_plan.is_new:
                person_plan.person.save()
        story = plan.story
        article = Article.objects.create(
            headline=story.headline,
            slug=plan.slug,
            # The copy's paragraphs and subheads, its other characters printed as typed.
            body=from_plain(story.body),
            section=plan.section,
            byline=story.byline,
            status=Article.Status.DRAFT,
            created_by=user,
        )
        article.credit_writer(user)
        article.people.set([person_plan.person for person_plan in plan.people])
        Quote.objects.bulk_create(
            Quote(article=article, speaker=plan.person(quote.speaker), text=quote.text, order=order)
            for order, quote in enumerate(plan.quotes, start=1)
        )
        if tags:
            article.tags.add(*tags)
    return article


def report(plan: ImportPlan, status: str, article: Article | None = None) -> dict:
    """What the import did (or would do), as plain data for printing or JSON."""
    story = plan.story
    article = article or plan.existing
    return {
        "status": status,
        "headline": story.headline,
        "slug": article.slug if article else plan.slug,
        "section": plan.section.slug,
        "byline": story.byline,
        "subheads": story.subheads,
        "people": [
            {
                "name": person_plan.person.name,
                "role": person_plan.person.role,
                "slug": person_plan.person.slug,
                "status": "new" if person_plan.is_new else "matched",
            }
            for person_plan in plan.people
        ],
        "quotes": [
            {"order": order, "speaker": quote.speaker, "text": quote.text, "how": quote.how}
            for order, quote in enumerate(plan.quotes, start=1)
        ],
        "undecided": [
            {"text": quote.text, "why": quote.note or "no attribution found"} for quote in story.undecided
        ],
        "left_out": [{"text": quote.text, "why": quote.reason} for quote in story.left_out],
    }
