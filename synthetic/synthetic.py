"""
Made-up newsroom content for measuring the site at an archive's scale: people with fictional
surnames in fictional countries, tags, and articles whose bodies name those people and quote
them word for word. Plain Python with no Django imports; ``synthetic.archive`` writes it.

Everything comes from one seeded random generator per kind of thing, so the same seed gives
the same archive, and the people and tags depend only on the seed and how many there are.
Popularity is skewed the way news is: a few people and topics appear in many stories.
"""

import itertools
import random
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import bodytext

SLUG_PREFIX = "synthetic-"
SENTENCE_POOL = 20_000
LABEL = "Synthetic archive"

SECTIONS = ["World", "Politics", "Business", "Science", "Culture", "Sport"]
COUNTRIES = ["Norland", "Castrova", "Meridia", "Telmar", "Oskaria", "Brevania", "Lusor", "Vantia"]
FIRST_NAMES = (
    "Ada Alma Anika Arne Bela Bruno Carla Cyril Dana Dario Edda Emil Fenna Felix Greta Goran Hana Hugo "
    "Ilse Ivo Jana Jonas Kira Karel Lena Lukas Mara Milan Nadia Nils Olga Oskar Petra Pavel Rosa Radu "
    "Sara Stefan Tara Tomas Una Urban Vera Viktor Wanda Werner Yara Yusuf Zora Zeno"
).split()
SURNAME_STARTS = "Ab Bal Bren Cor Dal Dor Fen Gal Grav Hal Ith Kal Kor Lom Lun Mar Mir Nor Ost Pel Quar Ros Sal Tor Val Ver Wen Zar".split()  # noqa: E501
SURNAME_MIDDLES = ["", "an", "el", "ov", "ar", "in", "es", "ul"]
SURNAME_ENDS = "ac bek dan ek ford gan iq ko lin mar nek os rud sen tov vic wyn zic".split()
ROLES = [
    ("Prime Minister", "Government of {country}"),
    ("finance minister", "Government of {country}"),
    ("foreign minister", "Government of {country}"),
    ("opposition leader", "{country} Democratic Alliance"),
    ("central bank governor", "Bank of {country}"),
    ("spokesperson", "{country} Ministry of Defence"),
    ("chief executive", "{country} Rail"),
    ("union leader", "{country} Federation of Workers"),
    ("mayor", "City of Port {country}"),
    ("professor of economics", "University of {country}"),
    ("climate scientist", "{country} Institute of Oceans"),
    ("coach", "{country} national football team"),
    ("festival director", "{country} Arts Council"),
    ("senior analyst", "{country} Policy Forum"),
]
TOPICS = (
    "energy elections trade climate housing health transport water schools courts taxes farming fisheries "
    "railways ports shipping mining tourism wages pensions borders defence diplomacy ceasefire sanctions "
    "inflation banking startups science space oceans forests football athletics cinema music museums "
    "libraries police prisons hospitals vaccines drought floods wildfires"
).split()
SUBHEADS = [
    "What was agreed",
    "What happens next",
    "The reaction",
    "Why it matters",
    "A long dispute",
    "The numbers",
    "Inside the talks",
    "What critics say",
]

NOUNS = (
    "agreement budget ceasefire coalition committee contract deal deadline dispute election inquiry "
    "investment law market plan proposal reform report strike summit talks tariff treaty vote"
).split()
VERBS_PAST = (
    "approved blocked criticised defended delayed announced rejected revised signed suspended welcomed "
    "questioned extended postponed endorsed challenged"
).split()
VERBS_PRESENT = "warns vows promises urges rejects defends backs questions demands expects".split()
PLACES = [
    "the capital",
    "the northern provinces",
    "the port",
    "parliament",
    "the coastal region",
    "the border",
]
TIMES = ["on Monday", "on Tuesday", "last week", "this month", "overnight", "earlier this year", "on Friday"]
AMOUNTS = ["two", "three", "five", "a dozen", "several", "forty", "hundreds of", "thousands of"]
GROUPS = (
    "officials diplomats farmers workers investors teachers doctors residents negotiators analysts "
    "lawmakers engineers fishermen students"
).split()
QUOTE_OPENINGS = [
    "We will not accept a {noun} that leaves {place} behind",
    "This {noun} is the best chance we have had in {amount} years",
    "Nobody in {place} asked for this {noun}",
    "The {noun} has to be signed before the winter",
    "Our {group} cannot wait another {amount} months",
    "I have spoken to the {group} and they are ready",
    "There is no {noun} without the {group}",
    "We expect the {noun} to hold",
    "The numbers on the {noun} simply do not add up",
    "It is time to put the {noun} to a vote",
]
SENTENCES = [
    "{Group} in {place} said the {noun} would be {verb_past} {time}.",
    "The {noun} was {verb_past} by {amount} {group} {time}.",
    "{Amount} {group} gathered in {place} as the {noun} was debated.",
    "Critics said the {noun} had been {verb_past} without consulting {group}.",
    "The government {verb_past} the {noun} covering {place} {time}.",
    "Talks on the {noun} resumed {time} after {amount} weeks of delay.",
    "Figures published {time} showed the {noun} costing more than expected.",
    "{Group} from {place} have {verb_past} the {noun} in a joint statement.",
    "A second {noun} is expected to follow if the first one holds.",
    "The {noun} will be reviewed by the {noun2} committee before it takes effect.",
]


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class SyntheticPerson:
    name: str
    surname: str
    role: str
    affiliation: str

    @property
    def slug(self) -> str:
        return SLUG_PREFIX + slugify(self.name)

    @property
    def bio(self) -> str:
        return (
            f"A made-up {self.role} in the {LABEL.lower()}, generated to measure the site; not a real person."
        )


@dataclass(frozen=True)
class SyntheticQuote:
    speaker: int  # index into the archive's people
    text: str
    order: int


@dataclass(frozen=True)
class SyntheticArticle:
    number: int
    headline: str
    slug: str
    dek: str
    body: str
    section: int
    tags: tuple[int, ...]
    people: tuple[int, ...]
    quotes: tuple[SyntheticQuote, ...]
    author: int | None
    status: str  # "published", "draft" or "withdrawn"
    # When, relative to the archive's end, it was (or is to be) published; None for drafts.
    published_offset: timedelta | None
    correction: str = ""


def _skewed_weights(count: int, flatness: float) -> list[float]:
    """Cumulative weights for picking among ``count`` things, the first ones far more often."""
    return list(itertools.accumulate(1 / (rank + flatness) for rank in range(count)))


class SyntheticArchive:
    """
    A deterministic made-up archive of ``articles`` articles spread over ``span`` and ending at
    offset zero (the caller's "until"). About 1% of articles are drafts, 0.5% withdrawn, and a
    few are scheduled after the end.
    """

    def __init__(
        self,
        articles: int,
        seed: int = 1,
        people: int | None = None,
        tags: int | None = None,
        authors: int = 8,
        span: timedelta = timedelta(days=365 * 10),
    ):
        self.article_count = articles
        self.seed = seed
        self.people = self._make_people(people or max(20, min(5000, articles // 50)))
        self.tags = self._make_tags(tags or max(10, min(400, articles // 500)))
        self.sections = [f"{name} (synthetic)" for name in SECTIONS]
        self.authors = [f"Synthetic Reporter {number}" for number in range(1, authors + 1)]
        self.span = span
        self._people_weights = _skewed_weights(len(self.people), flatness=5)
        # Bodies are drawn from a pool of filled-in sentences: fast, and still varied to search.
        pool_rng = self._random("sentences")
        self._sentences = [self._fill(pool_rng, pool_rng.choice(SENTENCES)) for _ in range(SENTENCE_POOL)]
        self._tag_weights = _skewed_weights(len(self.tags), flatness=3)

    def _random(self, stream: str) -> random.Random:
        return random.Random(f"{self.seed}:{stream}")

    def _make_people(self, count: int) -> list[SyntheticPerson]:
        rng = self._random("people")
        surnames = [
            start + middle + end
            for start in SURNAME_STARTS
            for middle in SURNAME_MIDDLES
            for end in SURNAME_ENDS
        ]
        if count > len(surnames):
            raise ValueError(f"At most {len(surnames)} synthetic people can be made.")
        # Unique surnames, so the surname alone (the person's alias) names one person.
        people = []
        for surname in rng.sample(surnames, count):
            role, affiliation = rng.choice(ROLES)
            people.append(
                SyntheticPerson(
                    name=f"{rng.choice(FIRST_NAMES)} {surname}",
                    surname=surname,
                    role=role,
                    affiliation=affiliation.format(country=rng.choice(COUNTRIES)),
                )
            )
        return people

    def _make_tags(self, count: int) -> list[str]:
        rng = self._random("tags")
        names = [f"{country} {topic}" for country in COUNTRIES for topic in TOPICS]
        if count > len(names):
            raise ValueError(f"At most {len(names)} synthetic tags can be made.")
        return rng.sample(names, count)

    def tag_slug(self, index: int) -> str:
        return SLUG_PREFIX + slugify(self.tags[index])

    def section_slug(self, index: int) -> str:
        return SLUG_PREFIX + slugify(SECTIONS[index])

    def author_slug(self, index: int) -> str:
        return slugify(self.authors[index])  # "synthetic-reporter-1"

    def articles(self) -> Iterator[SyntheticArticle]:
        rng = self._random("articles")
        count = self.article_count
        step = self.span / max(count, 1)
        scheduled = max(1, count // 2000) if count >= 20 else 0
        for number in range(count):
            # Oldest first, so ids grow with publication time as in a real archive.
            offset = (
                -self.span + step * number + timedelta(seconds=rng.randrange(int(step.total_seconds()) or 1))
            )
            if number >= count - scheduled:
                status, offset = "published", timedelta(hours=1 + 6 * (number - (count - scheduled)))
            elif number % 100 == 37:
                status, offset = "draft", None
            elif number % 200 == 73:
                status = "withdrawn"
            else:
                status = "published"
            yield self._article(rng, number, status, offset)

    def _fill(self, rng: random.Random, template: str) -> str:
        words = {
            "noun": rng.choice(NOUNS),
            "noun2": rng.choice(NOUNS),
            "verb_past": rng.choice(VERBS_PAST),
            "place": rng.choice(PLACES),
            "time": rng.choice(TIMES),
            "amount": rng.choice(AMOUNTS),
            "group": rng.choice(GROUPS),
        }
        words["Group"] = words["group"].capitalize()
        words["Amount"] = words["amount"].capitalize()
        return template.format(**words)

    def _paragraph(self, rng: random.Random, sentences: int) -> str:
        return " ".join(rng.choices(self._sentences, k=sentences))

    def _article(
        self, rng: random.Random, number: int, status: str, offset: timedelta | None
    ) -> SyntheticArticle:
        people = []
        while len(people) < rng.randint(2, 5):
            person = rng.choices(range(len(self.people)), cum_weights=self._people_weights)[0]
            if person not in people:
                people.append(person)
        tags = sorted(
            set(rng.choices(range(len(self.tags)), cum_weights=self._tag_weights, k=rng.randint(2, 4)))
        )
        lead = self.people[people[0]]
        country = rng.choice(COUNTRIES)
        noun = rng.choice(NOUNS)
        headline = f"{lead.surname} {rng.choice(VERBS_PRESENT)} {country}'s {noun}"

        quotes, used = [], set()
        speakers = people[: rng.randint(1, min(3, len(people)))]
        for order in range(1, rng.randint(2, 6) + 1):
            speaker = speakers[(order - 1) % len(speakers)]
            text = self._fill(rng, rng.choice(QUOTE_OPENINGS))
            while text in used:
                text = self._fill(rng, rng.choice(QUOTE_OPENINGS))
            used.add(text)
            quotes.append(SyntheticQuote(speaker, text, order))

        # The first mention of each person gives the full name and role; later ones the surname.
        paragraphs = [
            f"{lead.name}, the {lead.role} of {country}, spoke {rng.choice(TIMES)} about the {noun}. "
            + self._paragraph(rng, 2)
        ]
        for person in people[1:]:
            someone = self.people[person]
            paragraphs.append(
                f"{someone.name}, {someone.role}, also spoke about the {noun}. " + self._paragraph(rng, 2)
            )
        paragraphs.append(f"## {rng.choice(SUBHEADS)}")
        for quote in quotes:
            speaker = self.people[quote.speaker]
            paragraphs.append(
                f"“{quote.text},” {speaker.surname} said. " + self._paragraph(rng, rng.randint(2, 4))
            )
        paragraphs.append(f"## {rng.choice(SUBHEADS)}")
        paragraphs += [self._paragraph(rng, rng.randint(3, 5)) for _ in range(rng.randint(3, 6))]
        # Made-up words may hold what Markdown reads as markup: printed as written, all the same.
        paragraphs = [text if text.startswith("## ") else bodytext.escape(text) for text in paragraphs]

        return SyntheticArticle(
            number=number,
            headline=headline,
            slug=f"{SLUG_PREFIX}{slugify(headline)}-{number + 1}",
            dek=f"{rng.choice(self._sentences)} ({LABEL}: made-up content for measuring the site.)",
            body="\n\n".join(paragraphs),
            section=rng.randrange(len(SECTIONS)),
            tags=tuple(tags),
            people=tuple(people),
            quotes=tuple(quotes),
            author=rng.randrange(len(self.authors)) if rng.random() < 0.3 else None,
            status=status,
            published_offset=offset,
            correction=(
                f"An earlier version of this article misstated the size of the {noun}."
                if number % 50 == 11 and status != "draft"
                else ""
            ),
        )
