"""A story read from copy: its layout, the people it names and the quotations it attributes."""

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from bodytext import split_blocks
from ingest.attribution import Attributor, Mention, Paragraph
from ingest.layout import read_layout
from ingest.names import (
    HONORIFICS,
    LOCATIVES,
    NameRun,
    appositive_after,
    capitalize_role,
    gender_from_words,
    is_full_name,
    name_runs,
    role_before,
    role_before_comma,
    surname,
    words_before,
)
from ingest.quotation import find_quotations, is_title
from ingest.sentences import split_sentences
from ingest.vocabulary import NOT_NAME_WORDS, SENTENCE_OPENERS, SPEECH_VERBS, TITLE_WORDS, VERB_WORDS

_AGE_AFTER = re.compile(r",\s*(\d{1,3}),")  # "Mara Kell, 29, said"
_AGE_BEFORE = re.compile(r"(\d{1,3})-year-old\s+$")  # "84-year-old Edna Clarke"
_NOT_GIVEN_NAMES = (
    NOT_NAME_WORDS | SENTENCE_OPENERS | TITLE_WORDS | {verb.capitalize() for verb in SPEECH_VERBS}
)


@dataclass(frozen=True)
class KnownPerson:
    """Someone already on file, to be recognised by any of their names."""

    name: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *(alias for alias in self.aliases if alias and alias != self.name))


@dataclass
class FoundPerson:
    name: str
    role: str = ""
    aliases: tuple[str, ...] = ()
    known: bool = False  # one of the known people passed in

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *(alias for alias in self.aliases if alias != self.name))


@dataclass(frozen=True)
class FoundQuote:
    text: str  # exactly as in the body, without the marks and a trailing comma
    speaker: str | None  # a FoundPerson's name; None when it cannot be decided
    start: int  # where the text starts in the body
    how: str = "named"  # named, pronoun, continued, or undecided
    note: str = ""  # why it is undecided


@dataclass(frozen=True)
class LeftOutQuote:
    text: str
    start: int
    reason: str


@dataclass
class Story:
    headline: str
    byline: str
    body: str
    subheads: list[str]
    people: list[FoundPerson] = field(default_factory=list)
    quotes: list[FoundQuote] = field(default_factory=list)  # people's words, decided or not
    left_out: list[LeftOutQuote] = field(default_factory=list)  # institutions' words

    @property
    def attributed(self) -> list[FoundQuote]:
        return [quote for quote in self.quotes if quote.speaker]

    @property
    def undecided(self) -> list[FoundQuote]:
        return [quote for quote in self.quotes if not quote.speaker]

    def as_dict(self) -> dict:
        return asdict(self)


def parse_story(text: str, known: Sequence[KnownPerson] = ()) -> Story:
    """
    Read copy in the seed's shape; raises CopyRefused when it has no headline or no body.
    ``known`` are people already on file, recognised by any of their names.
    """
    layout = read_layout(text)
    body = layout.body
    paragraphs = [
        _read_paragraph(block.text, block.start) for block in split_blocks(body) if block.kind == "paragraph"
    ]
    people, genders, ages = _find_people(paragraphs, list(known))
    story = Story(layout.headline, layout.byline, body, layout.subheads, people)
    attributor = Attributor(paragraphs, genders, {person.name: person.role for person in people}, ages)
    for paragraph, quotation, decision in attributor.decide_all():
        words = quotation.quote_text(paragraph.text)
        if not words:
            continue
        start = paragraph.offset + paragraph.text.index(words, quotation.inner_start)
        if decision.left_out:
            story.left_out.append(LeftOutQuote(words, start, decision.note))
        else:
            story.quotes.append(FoundQuote(words, decision.speaker, start, decision.how, decision.note))
    return story


def _read_paragraph(text: str, offset: int) -> Paragraph:
    found = find_quotations(text)
    titles = [quotation for quotation in found if is_title(text, quotation)]
    quotations = [quotation for quotation in found if quotation not in titles]
    return Paragraph(text, offset, quotations, titles, split_sentences(text, found))


def _find_people(paragraphs: list[Paragraph], known: list[KnownPerson]):
    # A full name wins over someone else's alias that happens to be the same words.
    known_by_name = {person.name: person for person in reversed(known)}
    for person in known:
        for alias in person.aliases:
            known_by_name.setdefault(alias, person)

    found: dict[str, FoundPerson] = {}
    genders: dict[str, str] = {}
    ages: dict[str, str] = {}
    for paragraph in paragraphs:
        text = paragraph.text
        for sentence in paragraph.sentences:
            for run in name_runs(text, sentence.start, sentence.end):
                if any(title.start <= run.start < title.end for title in paragraph.titles):
                    continue
                if not is_full_name(text, run) and run.name not in known_by_name:
                    continue
                on_file = known_by_name.get(run.name)
                if on_file is not None:
                    person = found.setdefault(
                        on_file.name, FoundPerson(on_file.name, aliases=on_file.aliases, known=True)
                    )
                elif run.name not in found and (longer := _named_earlier(run.name, found)):
                    person = longer  # "Manning Walker" after "Jane Manning Walker": a two-word surname
                    person.aliases = (*person.aliases, run.name)
                else:
                    aliases = (surname(run.name),) if " " in run.name else ()
                    person = found.setdefault(run.name, FoundPerson(run.name, aliases=aliases))
                if not person.role and not run.possessive:
                    person.role = _role(text, run, sentence)
                age = _AGE_AFTER.match(text, run.end) or _AGE_BEFORE.search(
                    text, max(0, run.start - 20), run.start
                )
                if age:
                    ages.setdefault(person.name, age.group(1))
                cue = gender_from_words([*person.role.split(), *words_before(text, run.start)])
                if cue and person.name not in genders:
                    genders[person.name] = cue

    # People on file named by an alias alone ("Putin said…") are in the story too.
    claimed = {name for person in found.values() for name in person.names}
    for person in known:
        names = [name for name in person.names if name not in claimed or name == person.name]
        if person.name not in found and any(_occurs(name, paragraphs) for name in names):
            found[person.name] = FoundPerson(person.name, aliases=person.aliases, known=True)

    people = list(found.values())
    find_mentions = _mention_finder(people)
    for paragraph in paragraphs:
        paragraph.mentions = find_mentions(paragraph.text)
    # A role may come only with a later mention: "…," says Novak, a science teacher.
    by_name = {person.name: person for person in people}
    for paragraph in paragraphs:
        for sentence in paragraph.sentences:
            for mention in paragraph.mentions_between(sentence.start, sentence.end):
                person = by_name[mention.people[0]]
                if len(mention.people) > 1 or person.role or mention.possessive:
                    continue
                name = paragraph.text[mention.start : mention.end]
                person.role = _role(
                    paragraph.text, NameRun(mention.start, mention.end, name, False), sentence
                )
    first_seen = {}
    for index, paragraph in enumerate(paragraphs):
        for mention in paragraph.mentions:
            for name in mention.people:
                first_seen.setdefault(name, (index, mention.start))
    people.sort(key=lambda person: first_seen.get(person.name, (len(paragraphs), 0)))
    return people, genders, ages


def _named_earlier(name: str, found: dict[str, FoundPerson]) -> FoundPerson | None:
    return next((person for person in found.values() if person.name.endswith(" " + name)), None)


def _role(text: str, run, sentence) -> str:
    _, role = role_before(text, run.start, sentence.start)
    if not role and text[run.end : run.end + 1] == ",":
        _, role = role_before_comma(text, run.start, sentence.start)
    if not role:
        _, role = appositive_after(text, run.end, sentence.end)
    if not role and set(run.lead.split()) & TITLE_WORDS:
        role = run.lead  # "Assistant Commissioner Counter Terrorism Scott Lee"
    if role.split()[:1] and role.split()[0].rstrip(".") in HONORIFICS:
        role = ""
    return capitalize_role(role)


def _name_pattern(names) -> re.Pattern:
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(r"(?<![\w\-'’])(" + alternatives + r")(?P<possessive>['’]s)?(?![\w\-])")


def _occurs(name: str, paragraphs: list[Paragraph]) -> bool:
    pattern = _name_pattern([name])
    return any(pattern.search(paragraph.text) for paragraph in paragraphs)


def _mention_finder(people: list[FoundPerson]):
    """A function finding the mentions of ``people`` in a paragraph."""
    owners: dict[str, list[str]] = {}
    given_names: set[str] = set()
    full_names = {person.name for person in people}
    for person in people:
        owners.setdefault(person.name, [person.name])
    for person in people:
        for alias in person.aliases:
            if alias in owners and person.name in owners[alias]:
                continue
            if alias in full_names and alias != person.name:
                continue  # a full name wins over someone else's alias
            owners.setdefault(alias, []).append(person.name)
    # A first name alone refers back to the one person it can ("Brian joked"), and tells apart two
    # people sharing a surname ("Mark said").
    surnames = Counter(alias for person in people for alias in person.aliases)
    givens = Counter(person.name.split()[0] for person in people)
    for person in people:
        given = person.name.split()[0]
        shared = any(surnames[alias] > 1 for alias in person.aliases)
        if given in owners or len(given) < 2 or given.isupper() or " " not in person.name:
            continue
        if shared or (
            givens[given] == 1 and given not in _NOT_GIVEN_NAMES and given.lower() not in VERB_WORDS
        ):
            owners[given] = [person.name]
            given_names.add(given)
    pattern = _name_pattern(owners) if owners else None
    return lambda text: [
        Mention(match.start(1), match.end(1), tuple(owners[match.group(1)]), bool(match.group("possessive")))
        for match in (pattern.finditer(text) if pattern else ())
        if match.group(1) not in given_names or not _part_of_other_name(text, match.start(1), match.end())
    ]


def _part_of_other_name(text: str, start: int, end: int) -> bool:
    """A first name inside another name or after a preposition: "Georgia Chambers", "in Georgia"."""
    before = re.search(r"(\w+)\s+$", text[max(0, start - 20) : start])
    return bool(re.match(r"\s+[A-Z]", text[end : end + 2])) or bool(
        before and before.group(1) in LOCATIVES | {"of", "to", "from"}
    )
