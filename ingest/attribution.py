"""
Who said each quotation. In every sentence the reporter's words (never the quoted ones) are
searched for the people, pronouns, institutions and unnamed speakers they mention; a
quotation goes to the speaker of an attribution right after it ("…,' Trump told
reporters") or right before it ("Smith, who chairs the board, said: '…'"), else to the
subject of the clause that carries it ("Vance remarked that Trump is 'more than open'" →
Vance). A pronoun goes to the person most recently the subject of a sentence who fits it (he
or she, once known), but stays undecided when someone only named since and the current speaker
(the last person given words or a verb of saying) both fit.
A quotation with no attribution of its own continues the one before it in the paragraph, or
belongs to the person the previous sentence was about when it named no one else ("Smith said
the plan works. 'We proved it.'"). Institutions and terms in quotation marks ("a 'like'")
are left out; anything else that cannot be decided is reported, not guessed.
"""

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate

from ingest.names import appositive_after, role_before, role_before_comma
from ingest.quotation import Quotation
from ingest.sentences import Sentence, Token, joined, tokens, tokens_outside
from ingest.vocabulary import (
    DETERMINERS,
    FEMININE_WORDS,
    FUNCTION_WORDS,
    INSTITUTION_NOUNS,
    NAME_MODIFIER_NOUNS,
    ORGANISATION_WORDS,
    SPEECH_VERBS,
    UNNAMED_NOUNS,
    VERB_WORDS,
)

PRONOUNS = {"he", "she", "they", "it"}
# A clause of its own starts after these: "…, and Jones called it 'a farce'", "…when the 24-year-old told".
_COORDINATION = re.compile(r"(?:^|[\s,])(?:and|but|while|whereas|so|yet|when)$")
_AGE = re.compile(r"^\d+-year-old$")
_DETERMINER_BEFORE = re.compile(r"\b(?:[Tt]he|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir)\s+$")
_HONORIFIC_BEFORE = re.compile(r"\b(Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Lord|Lady)\.?\s+$")
# Where someone is from, between their name and their verb: "Jack Dawson of Idaho said".
_AFFILIATION = re.compile(
    r"\s+(?:of|from)\s+(?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:(?:of|and|&)\s+)?[A-Z][\w'’.-]*)*"
)
_ADVERBS = {"also", "later", "then", "again", "once", "previously", "recently", "first", "earlier"}
_AUXILIARIES = {"has", "had", "have", "was", "is", "will", "would"}
_INSTITUTION_NAMES = {"Kremlin", "Pentagon", "Vatican", "Elysée", "Bundestag", "Knesset", "Duma"}
# Verbs written before their speaker ("said Smith:"); after "told Sky News:" or "calls it" comes someone else.
_INVERTING_VERBS = {"said", "says", "added", "adds", "replied", "continued", "wrote", "insisted", "explained"}
# A term set off in quotation marks, not anyone's words: "a 'like'", "the so-called 'mass action'".
_TERM_BEFORE = re.compile(r"\b(?:a|an|the|so-called)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    """A person named in a paragraph, by full name or alias."""

    start: int
    end: int
    people: tuple[str, ...]  # more than one when an alias fits several people
    possessive: bool


@dataclass
class Paragraph:
    text: str
    offset: int  # where the paragraph starts in the body
    quotations: list[Quotation]  # quotations of words, titles excluded
    titles: list[Quotation]
    sentences: list[Sentence]
    mentions: list[Mention] = field(default_factory=list)  # in order of position

    @cached_property
    def title_starts(self) -> frozenset[int]:
        return frozenset(title.start for title in self.titles)

    @cached_property
    def _mention_starts(self) -> list[int]:
        return [mention.start for mention in self.mentions]

    def mentions_between(self, start: int, end: int) -> list[Mention]:
        """Mentions starting in [start, end); call only once ``mentions`` is filled in."""
        starts = self._mention_starts
        return self.mentions[bisect_left(starts, start) : bisect_left(starts, end)]


@dataclass(frozen=True)
class Entity:
    kind: str  # person, ambiguous, group, pronoun, institution, unnamed
    start: int  # the noun phrase's start, with its role and article
    head_start: int
    end: int  # the noun phrase's end, after any appositive
    label: str
    people: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    speaker: str | None = None
    how: str = "undecided"  # named, pronoun, continued, undecided, left-out
    note: str = ""

    @property
    def left_out(self) -> bool:
        return self.how == "left-out"


UNDECIDED = Decision()


def _is_verb_like(word: str, plural: bool = False) -> bool:
    if not word or not word[0].islower() or word in FUNCTION_WORDS:
        return False
    if word in VERB_WORDS:
        return True
    if plural:  # "Osei and Hargreaves plan to…"
        return not word.endswith(("ly", "ing"))
    if word in NAME_MODIFIER_NOUNS or word in UNNAMED_NOUNS or word in INSTITUTION_NOUNS:
        return False
    return (word.endswith("ed") and len(word) > 3) or (word.endswith("s") and not word.endswith("ss"))


def followed_by_verb(text: str, position: int, end: int, plural: bool = False) -> bool:
    rest = text[position:end]
    comma = re.match(r"\s*,\s*", rest)
    if comma:
        # "Trump's envoy, Steve Witkoff, expressed": the name was itself the appositive.
        following = tokens(text, position + comma.end(), min(end, position + comma.end() + 60))[:1]
        return (
            bool(following)
            and following[0].start == position + comma.end()
            and _is_verb_like(following[0].text)
        )
    if not re.match(r"\s+\w", rest):
        return False
    for token in tokens(text, position, min(end, position + 80))[:3]:
        if token.text.endswith("ly") and token.text[0].islower():
            continue
        return _is_verb_like(token.text, plural)
    return False


def followed_by_speech(text: str, position: int, end: int) -> bool:
    """A speech verb after a short phrase: "A spokesperson for the drivers' union said…"."""
    for token in tokens(text, position, min(end, position + 150))[:7]:
        if token.lower in SPEECH_VERBS:
            return not re.search(r"[,;:.]", text[position : token.start])
    return False


class Attributor:
    def __init__(
        self,
        paragraphs: list[Paragraph],
        genders: dict[str, str],
        roles: dict[str, str],
        ages: dict[str, str] | None = None,  # "Mara Kell, 29," → {"Mara Kell": "29"}
    ):
        self.paragraphs = paragraphs
        self.genders = dict(genders)
        self.roles = roles
        self.ages: dict[str, str] = ages or {}
        self.topics: list[tuple[tuple[str, ...], bool]] = []  # (people, was the subject)
        self.speaker: str | None = None  # the last person given words or a verb of saying
        self.owner: str | None = None  # the one person the previous sentence was about, if any

    def decide_all(self) -> list[tuple[Paragraph, Quotation, Decision]]:
        results = []
        previous_paragraph_open: Decision | None = None
        for paragraph in self.paragraphs:
            paragraph_decisions: list[Decision] = []
            for sentence in paragraph.sentences:
                entities = self._entities(paragraph, sentence)
                subjects = self._subjects(paragraph.text, sentence, entities)
                sentence_decisions: list[Decision] = []
                for quotation in (q for q in sentence.quotations if q.start not in paragraph.title_starts):
                    decision = self._decide(paragraph, sentence, quotation, entities, subjects)
                    if decision is UNDECIDED:  # nothing in the sentence says who spoke
                        decision = (
                            self._continuation(
                                paragraph,
                                sentence,
                                quotation,
                                entities,
                                sentence_decisions,
                                paragraph_decisions,
                                previous_paragraph_open,
                            )
                            or decision
                        )
                    if _is_term(paragraph.text, quotation, so_called_only=decision is not UNDECIDED):
                        decision = Decision(how="left-out", note="a term in quotation marks")
                    sentence_decisions.append(decision)
                    paragraph_decisions.append(decision)
                    results.append((paragraph, quotation, decision))
                self._remember_topic(paragraph, sentence, subjects)
                self._remember_speaker(paragraph, sentence, entities, subjects, sentence_decisions)
            last = paragraph.quotations[-1] if paragraph.quotations else None
            previous_paragraph_open = (
                paragraph_decisions[-1] if last is not None and not last.closed else None
            )
        return results

    # -- what the reporter's words mention -------------------------------------------------------

    def _entities(self, paragraph: Paragraph, sentence: Sentence) -> list[Entity]:
        text = paragraph.text
        quoted = sentence.quotations

        def inside_quotation(position: int) -> bool:
            return any(q.start <= position < q.end for q in quoted)

        people = []
        for mention in paragraph.mentions_between(sentence.start, sentence.end):
            if inside_quotation(mention.start):
                continue
            if mention.possessive:
                continue
            start, role = role_before(text, mention.start, sentence.start)
            if not role:
                start, role = role_before_comma(text, mention.start, sentence.start)
            window = max(sentence.start, start - 20)
            honorific = _HONORIFIC_BEFORE.search(text[window:start])
            if honorific:
                start = window + honorific.start()
            window = max(sentence.start, start - 20)
            article = _DETERMINER_BEFORE.search(text[window:start])
            if article:
                start = window + article.start()
            end = mention.end
            affiliation = _AFFILIATION.match(text, end, sentence.end)
            if affiliation:
                end = affiliation.end()  # "Jack Dawson of Idaho said"
            end, _ = appositive_after(text, end, sentence.end)
            candidates = mention.people
            if len(candidates) > 1 and honorific:
                # "Mr Pike" when Susan and Mark Pike are both in the story.
                gender = "she" if honorific.group(1).lower() in FEMININE_WORDS else "he"
                fitting = tuple(p for p in candidates if self.genders.get(p) == gender)
                candidates = fitting if len(fitting) == 1 else candidates
            kind = "person" if len(candidates) == 1 else "ambiguous"
            label = text[start if honorific else mention.start : mention.end]
            people.append(Entity(kind, start, mention.start, end, label, candidates))

        people.sort(key=lambda person: person.start)
        person_starts = [person.start for person in people]
        furthest_ends = list(accumulate((person.end for person in people), max))

        def taken(start: int, end: int) -> bool:
            """Whether [start, end) overlaps the noun phrase of a person."""
            index = bisect_left(person_starts, end)  # people[:index] start before ``end``
            return index > 0 and furthest_ends[index - 1] > start

        others = []
        words = tokens_outside(text, sentence.start, sentence.end, quoted)
        for index, token in enumerate(words):
            if taken(token.start, token.end):
                continue
            lower = token.lower
            if lower in PRONOUNS:
                others.append(Entity("pronoun", token.start, token.start, token.end, lower))
                continue
            following = words[index + 1] if index + 1 < len(words) else None
            adjacent = following is not None and joined(text, token, following.start)
            head_kind = None
            if _AGE.match(lower):
                head_kind = "unnamed"
            elif token.text[0].islower() and (lower in INSTITUTION_NOUNS or lower in UNNAMED_NOUNS):
                if adjacent and (following.lower in INSTITUTION_NOUNS or following.lower in UNNAMED_NOUNS):
                    continue  # "the ministry spokesperson": the next word is the head
                head_kind = "unnamed" if lower in UNNAMED_NOUNS else "institution"
            elif token.is_capitalized and not re.search(r"['’]s$", token.text):
                is_organisation = (
                    token.text in ORGANISATION_WORDS
                    or token.text in _INSTITUTION_NAMES
                    or (token.text.isupper() and len(token.text) >= 3 and "." not in token.text)
                )
                if is_organisation and not (adjacent and following.is_capitalized):
                    head_kind = "institution"
            if head_kind:
                start = _noun_phrase_start(text, words, index, sentence.start)
                end = token.end
                if _AGE.match(lower) and adjacent and not _is_verb_like(following.lower):
                    end = following.end  # "the 29-year-old Londoner said"
                if not taken(start, end):
                    others.append(Entity(head_kind, start, token.start, end, text[start:end]))
        return sorted(people + others, key=lambda entity: entity.start)

    def _subjects(self, text: str, sentence: Sentence, entities: list[Entity]) -> list[Entity]:
        """Entities that are the subject of a clause: "Vance remarked…", "…, and Jones said"."""
        quotation_ends = {q.end for q in sentence.quotations}
        subjects: list[Entity] = []
        skip = set()
        for index, entity in enumerate(entities):
            if index in skip:
                continue
            before = text[sentence.start : entity.start].rstrip()
            according = re.search(r"\b[Aa]ccording to$", before)
            allowed = (
                not before.strip("\"“‘'([—–- ")
                or bool(according)
                or before.endswith(";")
                or sentence.start + len(before) in quotation_ends
                or bool(_COORDINATION.search(before))
                or (before.endswith((",", ":", "—", "–")) and not subjects)
                or (not subjects and _modifiers_only(before))
            )
            if not allowed:
                continue
            # Two people joined by "and" make one, plural subject.
            following = entities[index + 1] if index + 1 < len(entities) else None
            if (
                entity.kind == "person"
                and following is not None
                and following.kind == "person"
                and re.fullmatch(r",?\s+and\s+", text[entity.end : following.start])
            ):
                if followed_by_verb(text, following.end, sentence.end, plural=True):
                    subjects.append(
                        Entity(
                            "group",
                            entity.start,
                            entity.head_start,
                            following.end,
                            f"{entity.label} and {following.label}",
                            entity.people + following.people,
                        )
                    )
                skip.add(index + 1)
                continue
            if according or followed_by_verb(text, entity.end, sentence.end):
                subjects.append(entity)
            elif entity.kind in ("unnamed", "institution") and followed_by_speech(
                text, entity.end, sentence.end
            ):
                subjects.append(entity)
        return subjects

    # -- deciding --------------------------------------------------------------------------------

    def _decide(self, paragraph, sentence, quotation, entities, subjects) -> Decision:
        text = paragraph.text
        attribution = self._attribution_after(text, sentence, quotation, entities)
        if attribution is None:
            attribution = _attribution_before(text, sentence, quotation, entities)
        if attribution is not None:
            earlier = [s for s in subjects if s.end <= min(quotation.start, attribution.start)]
            return self._resolve(attribution, earlier, paragraph, sentence)
        before = [subject for subject in subjects if subject.end <= quotation.start]
        if before:
            return self._resolve(before[-1], before[:-1], paragraph, sentence)
        return UNDECIDED

    def _attribution_after(self, text, sentence, quotation, entities) -> Entity | None:
        """An attribution right after the quote: "…,' Trump told reporters", "…," said Smith"."""
        later_quotes = [q.start for q in sentence.quotations if q.start >= quotation.end]
        region_end = min(later_quotes, default=sentence.end)
        region_end = min(region_end, quotation.end + 200)  # an attribution follows closely
        words = tokens_outside(text, quotation.end, region_end, sentence.quotations)
        if not words:
            return None
        in_region = [e for e in entities if quotation.end <= e.start < region_end]
        if not in_region:
            return None

        def words_between(start: int, end: int) -> list[Token]:
            return [word for word in words if start <= word.start and word.end <= end]

        lowered = [word.lower for word in words]
        if lowered[:2] == ["according", "to"]:
            return in_region[0]
        verb = next((i for i, w in enumerate(lowered[:2]) if w in SPEECH_VERBS), None)
        if verb is not None and all(w.endswith("ly") or w in _ADVERBS for w in lowered[:verb]):
            entity = in_region[0]
            if len(words_between(words[verb].end, entity.start)) <= 3:
                return entity
        entity = in_region[0]
        if len(words_between(quotation.end, entity.start)) > 3:
            return None
        after = [w.lower for w in tokens_outside(text, entity.end, region_end, sentence.quotations)[:3]]
        for word in after:
            if word in SPEECH_VERBS:
                return entity
            if not (word.endswith("ly") or word in _ADVERBS):
                break
        return None

    def _resolve(self, entity: Entity, earlier_subjects: list[Entity], paragraph, sentence) -> Decision:
        if entity.kind == "person":
            return Decision(entity.people[0], "named")
        if entity.kind == "ambiguous":
            names = " or ".join(entity.people)
            return Decision(note=f"“{entity.label}” could be {names}")
        if entity.kind == "group":
            return Decision(note=f"attributed to more than one person ({entity.label})")
        if entity.kind == "institution":
            return Decision(how="left-out", note=f"attributed to an institution ({entity.label})")
        if entity.kind == "unnamed":
            person = self._described(entity, paragraph, sentence)
            if person:
                return Decision(person, "described")
            return Decision(note=f"attributed to someone not named (“{entity.label}”)")
        pronoun = entity.label.lower()
        if pronoun == "it":
            return Decision(how="left-out", note="attributed to an institution (“it”)")
        if pronoun == "they":
            return Decision(note="attributed to “they”")
        person = self._antecedent(pronoun, earlier_subjects)
        if person is None:
            return Decision(note=f"“{entity.label}” could refer to more than one person, or to no one named")
        return Decision(person, "pronoun")

    def _described(self, entity: Entity, paragraph: Paragraph, sentence: Sentence) -> str | None:
        """Who a description means: "the mayor" once Mayor Helen Okafor is named; "the 24-year-old"."""
        words = entity.label.lower().split()
        if words[0] != "the" or len(words) > 4:
            return None
        head = words[-1]
        if age := next((word for word in words if _AGE.match(word)), None):
            aged = [name for name, years in self.ages.items() if years == age.split("-")[0]]
            if len(aged) == 1:
                return aged[0]  # "Mara Kell, 29," … "the 29-year-old"
            named = [
                mention.people
                for mention in paragraph.mentions_between(sentence.start, entity.start)
                if len(mention.people) == 1
            ]
            if named:
                return named[-1][0]
            return self._antecedent(None, [])
        holders = [name for name, role in self.roles.items() if role and role.lower().split()[-1] == head]
        return holders[0] if len(holders) == 1 else None

    def _antecedent(self, pronoun: str | None, earlier_subjects: list[Entity]) -> str | None:
        """
        The person a pronoun (he or she; None for either) refers to: an earlier subject of its
        sentence, else the latest subject that fits; none when a person merely named since, not
        as a subject, and the current speaker both fit.
        """
        entries = [(s.people, True) for s in reversed(earlier_subjects) if s.kind in ("person", "group")]
        in_sentence = len(entries)
        entries += list(reversed(self.topics))
        for index, (entry, was_subject) in enumerate(entries):
            compatible = [p for p in entry if self._fits(p, pronoun)]
            if not compatible:
                continue
            if len(set(compatible)) > 1:
                return None
            choice, speaker = compatible[0], self.speaker
            named_since = pronoun and index >= in_sentence and not was_subject
            if named_since and speaker not in (None, choice) and self._fits(speaker, pronoun):
                return None  # named since, but not as a subject: is it them, or the current speaker?
            if pronoun:
                self.genders[choice] = pronoun
            return choice
        return None

    def _fits(self, person: str, pronoun: str | None) -> bool:
        return pronoun is None or self.genders.get(person) in (None, pronoun)

    def _continuation(self, paragraph, sentence, quotation, entities, in_sentence, in_paragraph, open_before):
        """A quotation with no attribution of its own goes on from the one before it."""
        if in_sentence and in_sentence[-1].how != "undecided":
            return _continued(in_sentence[-1])
        outside = tokens_outside(paragraph.text, sentence.start, sentence.end, sentence.quotations)
        if outside or entities:
            return None
        if in_paragraph and in_paragraph[-1].how != "undecided":
            return _continued(in_paragraph[-1])
        starts_paragraph = quotation.start == len(paragraph.text) - len(paragraph.text.lstrip())
        if (
            not in_paragraph
            and starts_paragraph
            and open_before is not None
            and open_before.how != "undecided"
        ):
            return _continued(open_before)
        if not in_sentence and self.owner:
            return Decision(self.owner, "continued")
        return None

    def _remember_topic(self, paragraph: Paragraph, sentence: Sentence, subjects: list[Entity]) -> None:
        for subject in subjects:
            if subject.kind in ("person", "group"):
                self.topics.append((subject.people, True))
                return
            if subject.kind == "pronoun" and subject.label.lower() in ("he", "she"):
                person = self._antecedent(subject.label.lower(), [])
                if person:
                    self.topics.append(((person,), True))
                return
        for mention in paragraph.mentions_between(sentence.start, sentence.end):
            inside = any(q.start <= mention.start < q.end for q in sentence.quotations)
            if not inside and len(mention.people) == 1:
                self.topics.append((mention.people, False))
                return

    def _remember_speaker(
        self, paragraph: Paragraph, sentence: Sentence, entities, subjects, decisions
    ) -> None:
        """Who is speaking now, and whom the sentence was about if it named no one else."""
        text = paragraph.text
        owner = next((d.speaker for d in reversed(decisions) if d.speaker), None)
        mentions = [
            mention
            for mention in paragraph.mentions_between(sentence.start, sentence.end)
            if not any(q.start <= mention.start < q.end for q in sentence.quotations)
        ]
        if owner:
            self.speaker = owner
        elif not sentence.quotations:
            # The sentence's subject, or else the first person named: "one victim, Edna Clarke, said …".
            # The first subject, a "he said" anywhere, or else the first person named.
            pronouns = [
                e
                for e in entities
                if e.label in ("he", "she") and e not in subjects and _says(text, e.end, sentence.end)
            ]
            candidates = []
            for entity in [*subjects, *pronouns]:
                if entity.kind == "person":
                    candidates.append((entity.people, entity.end))
                elif entity.label in ("he", "she"):
                    resolved = self._antecedent(entity.label, [])
                    candidates.append(((resolved,) if resolved else (), entity.end))
            candidates += [(m.people, m.end) for m in mentions if not m.possessive]
            for people, end in candidates[:1]:
                end, _ = appositive_after(text, end, sentence.end)
                says = _says(text, end, sentence.end)
                person = people[0] if len(people) == 1 else None
                if person and says:
                    self.speaker = person  # reported speech: "Smith said the plan works."
                owner = person if person and (says or person == self.speaker) else None
        asked = sentence.quotations and sentence.quotations[-1].inner(text).rstrip().endswith("?")
        self.owner = owner if {m.people for m in mentions} <= {(owner,)} and not asked else None  # a reply


def _attribution_before(text: str, sentence: Sentence, quotation: Quotation, entities) -> Entity | None:
    """
    A verb of saying right before the quote, with its speaker: "Smith said: '…'", "Smith, a
    local hiker, said '…'", "Rodgers who after the game said '…'", or inverted, "Said Foster: '…'".
    """
    words = tokens_outside(text, sentence.start, quotation.start, sentence.quotations)
    verbs = [index for index, word in enumerate(words) if word.lower in SPEECH_VERBS]
    if not verbs or len(words) - verbs[-1] > 7:
        return None
    verb = words[verbs[-1]]
    if any(verb.end <= q.start < quotation.start for q in sentence.quotations):
        return None
    between = [e for e in entities if verb.end <= e.start < quotation.start]
    if between:  # "said Smith:" — only the speaker's name between the verb and the quote
        entity = between[0]
        inverted = verb.lower in _INVERTING_VERBS and entity.label not in ("it", "they")  # not "said it"
        direct = inverted and not [w for w in words if verb.end <= w.start < entity.start]
        return entity if direct and re.fullmatch(r"[\s,:]*", text[entity.end : quotation.start]) else None
    # "Smith, who …, said": the speaker is before the clause.
    clause = list(re.compile(r",\s*who\s").finditer(text, sentence.start, verb.start))
    after_comma = text[max(sentence.start, verb.start - 4) : verb.start].rstrip().endswith(",")
    limit = clause[-1].start() if clause and after_comma else verb.start
    earlier = [e for e in entities if e.end <= limit]
    if not earlier:
        return None
    if limit < verb.start:
        return earlier[-1] if not text[earlier[-1].end : limit].strip() else None
    entity = earlier[-1]
    apposed = len(earlier) > 1 and re.fullmatch(r",[\w\s]*", text[earlier[-2].end : entity.start].strip())
    if entity.kind == "unnamed" and apposed:
        entity = earlier[-2]  # "Anna Berg, his deputy, said": the description is Berg's
    gap = [w for w in words if entity.end <= w.start and w.end <= verb.start]
    if not gap or all(w.lower.endswith("ly") or w.lower in _ADVERBS | _AUXILIARIES for w in gap):
        return entity  # "Hale had told her: '…'"
    if gap[0].lower == "who" and (len(gap) <= 6 or after_comma):
        return entity
    appositive = text[entity.end : gap[0].start].strip() == ","
    return entity if appositive and len(gap) <= 8 and not any(_is_verb_like(w.text) for w in gap) else None


def _says(text: str, position: int, end: int) -> bool:
    return any(token.lower in SPEECH_VERBS for token in tokens(text, position, min(end, position + 40))[:2])


def _modifiers_only(before: str) -> bool:
    """Words that only describe the subject to come: "Her colleague", "Rest of the World manager"."""
    words = tokens(before)
    return (
        0 < len(words) <= 5
        and words[0].is_capitalized
        and words[-1].lower not in FUNCTION_WORDS - DETERMINERS  # not "Supporters of Anna Berg said"
        and not re.search(r"[,;:]", before)
        and not any(w.lower in VERB_WORDS or (w.lower.endswith("ed") and w.text.islower()) for w in words)
    )


def _is_term(text: str, quotation: Quotation, so_called_only: bool) -> bool:
    """A few words after an article, or after "so-called" even in a sentence with a speaker."""
    inner = quotation.inner(text).strip()
    before = _TERM_BEFORE.search(text[max(0, quotation.start - 12) : quotation.start])
    short = len(inner.split()) <= 3 and inner[-1:].isalnum()
    return short and bool(before) and (not so_called_only or before.group().strip().lower() == "so-called")


def _continued(decision: Decision) -> Decision:
    if decision.left_out:
        return decision
    return Decision(decision.speaker, "continued")


def _noun_phrase_start(text: str, words: list[Token], head: int, floor: int) -> int:
    """Where "the German government" or "a senior official" begins, going left from its head."""
    start = words[head].start
    for index in range(head - 1, max(head - 5, -1), -1):
        word = words[index]
        if word.start < floor or not joined(text, word, start):
            break
        lower = word.lower
        if lower in ("the", "a", "an", "one", "two", "some", "several", "many", "other"):
            return word.start
        if (
            lower in FUNCTION_WORDS
            or lower in VERB_WORDS
            or (lower.endswith("ed") and word.text[0].islower())
        ):
            break
        start = word.start
    return start
