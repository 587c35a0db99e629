"""
Words and sentences of a paragraph, with quotations kept whole: a quotation's own full
stops never split the sentence that carries it, and its words are not the reporter's.
"""

import re
from dataclasses import dataclass
from typing import NamedTuple

from ingest.quotation import OPENING_MARKS, Quotation
from ingest.vocabulary import ABBREVIATIONS, SPEECH_VERBS

# Words, with the apostrophes, hyphens and dots inside them: Trump's, we’ll, non-decision-makers, U.S
_WORD = re.compile(r"\w+(?:['’\-.]\w+)*")
_WORD_BEFORE = re.compile(r"[\w.'’-]+$")
_NEXT_WORD = re.compile(r"\s+(\w+)")
_SPACE = re.compile(r"\s+")
_TERMINAL = ".!?…"
# How far back a look at "the words before" goes: enough for a few words, never the whole paragraph.
LOOK_BEHIND = 80
# Longer than any real sentence; past it a sentence is broken at the next space outside quotations.
MAX_SENTENCE_CHARS = 1500
_CLOSING_BRACKETS = ")]"


class Token(NamedTuple):
    text: str
    start: int
    end: int

    @property
    def is_capitalized(self) -> bool:
        return self.text[0].isupper()

    @property
    def lower(self) -> str:
        return self.text.lower()


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    quotations: tuple[Quotation, ...]  # those inside the sentence


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    end = len(text) if end is None else end
    return [Token(match.group(), match.start(), match.end()) for match in _WORD.finditer(text, start, end)]


def joined(text: str, left: Token, right: int) -> bool:
    """Nothing but space between ``left`` and ``right``, or a plural's apostrophe ("players’ union")."""
    gap = text[left.end : right]
    if not gap.strip():
        return True
    return left.text.endswith("s") and gap[0] in "'’" and not gap[1:].strip() and len(gap) > 1


def tokens_outside(text: str, start: int, end: int, quotations) -> list[Token]:
    """The reporter's words between ``start`` and ``end``: none from inside a quotation."""
    return [
        token
        for token in tokens(text, start, end)
        if not any(quotation.start <= token.start < quotation.end for quotation in quotations)
    ]


def _word_before(text: str, index: int) -> str:
    match = _WORD_BEFORE.search(text[max(0, index - LOOK_BEHIND) : index])
    return match.group() if match else ""


def _is_abbreviation(text: str, dot: int) -> bool:
    word = _word_before(text, dot)
    if not word:
        return False
    if len(word) == 1 and word.isupper():  # an initial: "George W. Bush"
        return True
    if word.lower() in ABBREVIATIONS:
        return True
    # "U.S." ends a sentence only before a word that plainly starts one.
    if "." in word:
        following = _NEXT_WORD.match(text, dot + 1)
        return not (following and following.group(1) in {"The", "He", "She", "It", "They", "But", "We"})
    return False


def _starts_sentence(text: str, index: int, quotation_starts: set[int]) -> bool:
    """Whether what follows ``index`` (after white space) can begin a new sentence."""
    match = _SPACE.match(text, index)
    if not match and index < len(text):
        return False
    following = match.end() if match else index
    if following >= len(text):
        return True
    char = text[following]
    return char.isupper() or char.isdigit() or (char in OPENING_MARKS and following in quotation_starts)


def _attribution_follows(text: str, index: int) -> bool:
    """'Are you serious?' Trump asked. — the question mark does not end the sentence."""
    following = [token.lower for token in tokens(text, index, min(len(text), index + 80))[:4]]
    return any(word in SPEECH_VERBS for word in following)


def split_sentences(text: str, quotations: list[Quotation]) -> list[Sentence]:
    starts = {quotation.start for quotation in quotations}
    by_start = {quotation.start: quotation for quotation in quotations}
    boundaries = []
    index = 0
    while index < len(text):
        if index - (boundaries[-1] if boundaries else 0) > MAX_SENTENCE_CHARS and text[index].isspace():
            # Copy with no full stops for pages on end: break it anyway, so work per sentence stays small.
            boundaries.append(index)
        if index in by_start:
            quotation = by_start[index]
            inner = quotation.inner(text).rstrip()
            index = quotation.end
            if (
                quotation.closed
                and inner
                and inner[-1] in _TERMINAL
                and _starts_sentence(text, index, starts)
            ):
                if inner[-1] == "." or not _attribution_follows(text, index):
                    boundaries.append(index)
            continue
        char = text[index]
        if char in _TERMINAL:
            end = index + 1
            while end < len(text) and text[end] in _CLOSING_BRACKETS:
                end += 1
            if _starts_sentence(text, end, starts) and not (char == "." and _is_abbreviation(text, index)):
                boundaries.append(end)
            index = end
            continue
        index += 1

    sentences = []
    start = 0
    pending = sorted(quotations, key=lambda quotation: quotation.start)
    taken = 0
    for boundary in [*boundaries, len(text)]:
        if boundary <= start:
            continue
        first = taken
        while taken < len(pending) and pending[taken].start < boundary:
            taken += 1
        sentences.append(Sentence(start, boundary, tuple(pending[first:taken])))
        start = boundary
    return sentences
