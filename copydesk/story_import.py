"""
Saves a story read from plain-text copy (ingest) as a draft article: people on file
matched by name or alias, new people created with the role the copy gives them, quotes in
order. Shared by the import_article command and the admin's import page, where the editor
may change the plan (people, merges, speakers) before it is saved.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from articles.models import Article, Person, Quote, Section
from articles.quoting import first_missing_words
from bodytext import from_plain
from ingest import FoundPerson, FoundQuote, KnownPerson, Story, parse_story

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
    kept: bool = True  # the editor may untick someone who is not a person at all ("Old Town")
    merged: bool = False  # a new person the editor found on file under another name

    def merge_into(self, person: Person) -> None:
        """Save this newly found person as ``person``, on file; the names the copy used become aliases."""
        self.person, self.is_new, self.merged = person, False, True


@dataclass
class QuotePlan:
    found: FoundQuote
    speaker: Person | None  # None: undecided, and not saved
    kept: bool = True

    @property
    def text(self) -> str:
        return self.found.text

    @property
    def how(self) -> str:
        return self.found.how


@dataclass
class ImportPlan:
    story: Story
    slug: str
    section: Section
    people: list[PersonPlan]
    existing: Article | None  # the same story, imported before
    # Every quote word for word in the body, decided or not, in order; the editor may change them.
    quote_plans: list[QuotePlan] = field(default_factory=list)

    @property
    def quotes(self) -> list[QuotePlan]:
        """The quotes to save: kept, with a speaker, and word for word in the body."""
        return [plan for plan in self.quote_plans if plan.kept and plan.speaker is not None]

    @property
    def unsaved_undecided(self) -> list[QuotePlan]:
        """Quotes left without a speaker, so not saved."""
        return [plan for plan in self.quote_plans if plan.speaker is None]

    def person(self, name: str) -> Person:
        return next(plan.person for plan in self.people if plan.found.name == name)

    def kept_people(self) -> list[Person]:
        """
        Everyone saved with the article, once the new people are saved: the people kept, and
        whoever a kept quote is given to.
        """
        people = {plan.person.pk: plan.person for plan in self.people if plan.kept}
        people.update((plan.speaker.pk, plan.speaker) for plan in self.quotes)
        return list(people.values())


def people_on_file() -> tuple[list[KnownPerson], dict[str, Person]]:
    """People on file as the importer knows them, and each of their names → the person."""
    on_file = list(Person.objects.only("pk", "name", "slug", "role", "aliases"))
    by_name: dict[str, Person] = {}
    for person in on_file:
        by_name.setdefault(person.name, person)
    for person in on_file:
        for alias in person.alias_list:
            by_name.setdefault(alias, person)
    return [KnownPerson(person.name, tuple(person.alias_list)) for person in on_file], by_name


def plan_import(text: str, section: Section) -> ImportPlan:
    """Read the copy and decide what saving it would do; writes nothing."""
    known, by_name = people_on_file()
    story = parse_story(text, known)
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
    plan = ImportPlan(story, slug, section, people, existing)
    plan.quote_plans = [
        QuotePlan(quote, plan.person(quote.speaker) if quote.speaker else None)
        for quote in story.quotes
        if not first_missing_words(quote.text, story.body)
    ]
    return plan


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
        _save_people(plan)
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
        article.people.set(plan.kept_people())
        Quote.objects.bulk_create(
            Quote(article=article, speaker=quote.speaker, text=quote.text, order=order)
            for order, quote in enumerate(plan.quotes, start=1)
        )
        if tags:
            article.tags.add(*tags)
    return article


def _save_people(plan: ImportPlan) -> None:
    """New people kept are created; people merged into one on file give it their names as aliases."""
    aliases: dict[int, list[str]] = {}
    for person_plan in plan.people:
        if not person_plan.kept:
            continue
        if person_plan.is_new:
            person_plan.person.save()
        elif person_plan.merged:
            aliases.setdefault(person_plan.person.pk, []).extend(person_plan.found.names)
    # Read again under a lock: someone may have edited the person since the preview.
    for person in Person.objects.select_for_update().filter(pk__in=aliases):
        names = list(dict.fromkeys([*person.alias_list, *aliases[person.pk]]))
        person.aliases = "\n".join(name for name in names if name != person.name)
        person.save(update_fields=["aliases"])


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
            {"order": order, "speaker": quote.speaker.name, "text": quote.text, "how": quote.how}
            for order, quote in enumerate(plan.quotes, start=1)
        ],
        "undecided": [
            {"text": quote.text, "why": quote.note or "no attribution found"} for quote in story.undecided
        ],
        "left_out": [{"text": quote.text, "why": quote.reason} for quote in story.left_out],
    }
