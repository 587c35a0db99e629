"""
Measures the copy reader against hand-made annotations: precision and recall of quote
extraction and of attribution, and of the people found. Two sets, scored apart: the regression
set (the seed fixture and fixtures/gold/, written while the rules were made; every story must
meet the targets) and the development set (fixtures/realcopy/, published news copy, scored as
a whole against its own targets). Each story is NAME.txt (the copy) beside NAME.json:

    {"source": "https://…",                                 # realcopy: where it was published
     "people": [{"name": "…", "role": "…"}],
     "quotes": [{"text": "…", "speaker": "…" or null}],   # null: no one can tell who said it
     "left_out": ["…"]}                                     # not a person's words
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from ingest.story import Story, parse_story

PRECISION_TARGET = 0.95
RECALL_TARGET = 0.9
# The development set as a whole: words and speaker right, and people (all reached; see docs).
DEVELOPMENT_TARGETS = {"attribution_precision": 0.95, "attribution_recall": 0.85, "people_precision": 0.9}


@dataclass(frozen=True)
class GoldStory:
    name: str
    text: str
    people: tuple[tuple[str, str], ...]  # (name, role)
    quotes: tuple[tuple[str, str | None], ...]  # (text, speaker)
    left_out: tuple[str, ...] = ()


def load_gold_directory(directory: Path) -> list[GoldStory]:
    stories = []
    for copy in sorted(Path(directory).glob("*.txt")):
        annotation = json.loads(copy.with_suffix(".json").read_text(encoding="utf-8"))
        stories.append(
            GoldStory(
                name=copy.stem,
                text=copy.read_text(encoding="utf-8"),
                people=tuple((person["name"], person.get("role", "")) for person in annotation["people"]),
                quotes=tuple((quote["text"], quote["speaker"]) for quote in annotation["quotes"]),
                left_out=tuple(annotation.get("left_out", ())),
            )
        )
    return stories


def load_seed_gold(fixture: Path, copy: Path) -> GoldStory:
    """The seed fixture (fixtures/seed.json) as gold for its source text (fixtures/seed.txt)."""
    objects = json.loads(Path(fixture).read_text(encoding="utf-8"))
    people = {obj["fields"]["slug"]: obj["fields"] for obj in objects if obj["model"] == "articles.person"}
    quotes = sorted(
        (obj["fields"] for obj in objects if obj["model"] == "articles.quote"),
        key=lambda quote: quote["order"],
    )
    return GoldStory(
        name="seed",
        text=Path(copy).read_text(encoding="utf-8"),
        people=tuple((person["name"], person["role"]) for person in people.values()),
        quotes=tuple((quote["text"], people[quote["speaker"][0]]["name"]) for quote in quotes),
    )


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


@dataclass
class Score:
    story: str
    gold_quotes: int
    found_quotes: int
    matched_quotes: int
    gold_attributed: int  # gold quotes with a speaker
    found_attributed: int  # quotes the reader gave a speaker
    correct_attributed: int
    gold_people: int
    found_people: int
    matched_people: int
    roles_checked: int
    roles_correct: int
    mistakes: list[str] = field(default_factory=list)

    @property
    def extraction_precision(self) -> float:
        return _ratio(self.matched_quotes, self.found_quotes)

    @property
    def extraction_recall(self) -> float:
        return _ratio(self.matched_quotes, self.gold_quotes)

    @property
    def attribution_precision(self) -> float:
        return _ratio(self.correct_attributed, self.found_attributed)

    @property
    def attribution_recall(self) -> float:
        return _ratio(self.correct_attributed, self.gold_attributed)

    @property
    def people_precision(self) -> float:
        return _ratio(self.matched_people, self.found_people)

    @property
    def people_recall(self) -> float:
        return _ratio(self.matched_people, self.gold_people)

    @property
    def role_accuracy(self) -> float:
        return _ratio(self.roles_correct, self.roles_checked)

    @property
    def meets_targets(self) -> bool:
        return (
            min(self.extraction_precision, self.attribution_precision) >= PRECISION_TARGET
            and min(self.extraction_recall, self.attribution_recall) >= RECALL_TARGET
        )


def score(gold: GoldStory, story: Story | None = None) -> Score:
    story = story or parse_story(gold.text)
    unmatched = list(gold.quotes)
    matched = correct = 0
    mistakes = []
    for quote in story.quotes:
        found = next((item for item in unmatched if item[0] == quote.text), None)
        if found is None:
            mistakes.append(f"not a quote in the gold: “{quote.text}”")
            continue
        unmatched.remove(found)
        matched += 1
        if quote.speaker and quote.speaker == found[1]:
            correct += 1
        elif quote.speaker or found[1]:
            mistakes.append(
                f"“{quote.text}”: {quote.speaker or 'undecided'}, gold says {found[1] or 'undecided'}"
            )
    mistakes += [f"missed: “{text}”" for text, _ in unmatched]

    gold_roles = dict(gold.people)
    found_roles = {person.name: person.role for person in story.people}
    common = set(gold_roles) & set(found_roles)
    checked = [name for name in common if gold_roles[name]]
    roles_correct = [name for name in checked if found_roles[name] == gold_roles[name]]
    mistakes += [
        f"role of {name}: “{found_roles[name]}”, gold says “{gold_roles[name]}”"
        for name in sorted(set(checked) - set(roles_correct))
    ]
    mistakes += [f"not a person in the gold: {name}" for name in sorted(set(found_roles) - common)]
    mistakes += [f"person missed: {name}" for name in sorted(set(gold_roles) - common)]

    return Score(
        story=gold.name,
        gold_quotes=len(gold.quotes),
        found_quotes=len(story.quotes),
        matched_quotes=matched,
        gold_attributed=sum(1 for _, speaker in gold.quotes if speaker),
        found_attributed=len(story.attributed),
        correct_attributed=correct,
        gold_people=len(gold_roles),
        found_people=len(found_roles),
        matched_people=len(common),
        roles_checked=len(checked),
        roles_correct=len(roles_correct),
        mistakes=mistakes,
    )


def total(name: str, scores: list[Score]) -> Score:
    """The scores of a set of stories taken together, as one story of all their quotes and people."""
    counts = [field for field in Score.__dataclass_fields__ if field not in ("story", "mistakes")]
    return Score(name, *(sum(getattr(score, field) for score in scores) for field in counts))


def development_shortfalls(result: Score) -> list[str]:
    """The development targets a set's total misses, as "attribution recall 0.80 < 0.85"."""
    return [
        f"{name.replace('_', ' ')} {getattr(result, name):.2f} < {target}"
        for name, target in DEVELOPMENT_TARGETS.items()
        if getattr(result, name) < target
    ]


COLUMNS = (
    ("story", "story", "{}"),
    ("quotes", "gold_quotes", "{}"),
    ("extraction P", "extraction_precision", "{:.2f}"),
    ("extraction R", "extraction_recall", "{:.2f}"),
    ("attribution P", "attribution_precision", "{:.2f}"),
    ("attribution R", "attribution_recall", "{:.2f}"),
    ("people P", "people_precision", "{:.2f}"),
    ("people R", "people_recall", "{:.2f}"),
    ("roles", "role_accuracy", "{:.2f}"),
)


def table(scores: list[Score]) -> str:
    """The scores as a Markdown table."""
    header = [title for title, _, _ in COLUMNS]
    rows = [[fmt.format(getattr(score, attribute)) for _, attribute, fmt in COLUMNS] for score in scores]
    widths = [max(len(row[index]) for row in [header, *rows]) for index in range(len(header))]

    def line(cells):
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)) + " |"

    return "\n".join([line(header), line(["-" * width for width in widths]), *(line(row) for row in rows)])
