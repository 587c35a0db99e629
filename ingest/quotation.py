"""
Finds quotations in a paragraph: straight or curly, single or double marks. An apostrophe
inside a word (Trump's, we'll, don’t) or an elision ('90s, rock 'n' roll) never opens or
closes one. Also tells a quoted title ("NBC's 'Meet the Press'") from a quotation.
"""

import re
from dataclasses import dataclass

from ingest.layout import is_title_case
from ingest.vocabulary import WORK_NOUNS

DOUBLE, SINGLE = "double", "single"
OPENING_MARKS = {'"': DOUBLE, "“": DOUBLE, "'": SINGLE, "‘": SINGLE, "’": SINGLE}
CLOSING_MARKS = {DOUBLE: {'"', "”"}, SINGLE: {"'", "’"}}
QUOTE_MARKS = frozenset("\"“”'‘’")
_BEFORE_OPENING = frozenset("([{—–-/:")
_ELISION = re.compile(r"(?:\d\ds?\b|n['’]|em\b|til\b|tis\b|twas\b|cause\b|bout\b)", re.IGNORECASE)
_POSSESSIVE_BEFORE = re.compile(r"(?:\b[A-Z][\w.&-]*['’]s|\b[A-Z][\w.&-]*s['’])\s*$")
_WORK_AFTER = re.compile(r"\s*,?\s*(?:a|an|the|his|her|their)\s+(?P<words>(?:[\w’'-]+[ \t]*){1,3})")
_SPACE_THEN_LOWER = re.compile(r"\s+[a-z]")
LOOK_BEHIND = 80
# A quotation longer than this without its closing mark is taken to run to the paragraph's end.
MAX_QUOTATION_CHARS = 5000
_WORDS = re.compile(r"[^\W\d_][\w'’-]*")


@dataclass(frozen=True)
class Quotation:
    start: int  # the opening mark
    end: int  # just after the closing mark (the paragraph's end when unclosed)
    inner_start: int
    inner_end: int
    family: str
    closed: bool = True

    def inner(self, text: str) -> str:
        return text[self.inner_start : self.inner_end]

    def quote_text(self, text: str) -> str:
        """The project's convention: the characters between the marks, minus a trailing comma."""
        inner = self.inner(text).strip()
        return inner[:-1].rstrip() if inner.endswith(",") else inner


def _can_open(text: str, index: int) -> bool:
    char = text[index]
    before = text[index - 1] if index else " "
    after = text[index + 1] if index + 1 < len(text) else ""
    if not after or after.isspace() or after in QUOTE_MARKS and after == char:
        return False
    if not (before.isspace() or before in _BEFORE_OPENING or before in QUOTE_MARKS):
        return False
    if OPENING_MARKS[char] == SINGLE and _ELISION.match(text, index + 1):
        return False
    if char == "’" and not after.isalpha():
        return False
    return True


def _close_width(text: str, start: int, index: int, family: str) -> int:
    """How many characters close a quotation at ``index``: 0 (none), 1, or 2 for wire style's ''."""
    # '' closes a double quotation in old wire copy, unless a single quotation is open inside it.
    wire = family == DOUBLE and text.startswith("''", index)
    if wire and any(text[i] in "'‘" and _can_open(text, i) for i in range(start + 1, index)):
        wire = False
    width = 2 if wire else 1
    if not wire and text[index] not in CLOSING_MARKS[family]:
        return 0
    before = text[index - 1]
    after = text[index + width] if index + width < len(text) else ""
    # A nested quotation may close with a space before the outer mark: "… 'I love you,' " she said.
    nested = family == DOUBLE and before == " " and text[index - 2 : index - 1] in ("'", "’")
    return 0 if (before.isspace() and not nested) or after.isalnum() or after == "_" else width


def _is_weak_close(text: str, index: int) -> bool:
    """A single mark after a plural ("the Russians' plan") may be a possessive, not a close."""
    return (
        text[index] in CLOSING_MARKS[SINGLE]
        and text[index - 1] == "s"
        and _SPACE_THEN_LOWER.match(text, index + 1) is not None
    )


def find_quotations(text: str) -> list[Quotation]:
    quotations = []
    index = 0
    while index < len(text):
        char = text[index]
        if char not in OPENING_MARKS or not _can_open(text, index):
            index += 1
            continue
        family = OPENING_MARKS[char]
        close, width = _find_close(text, index, family)
        if close is None:
            # An opening mark with no close: a quotation running on to the next paragraph (the
            # journalistic convention), provided it is a double mark, opens the paragraph or
            # follows a colon ("she said: 'In previous …").
            runs_on = len(text) - index <= MAX_QUOTATION_CHARS
            introduced = family == DOUBLE or (
                text[max(0, index - 4) : index].rstrip().endswith(":")
                and not any(
                    OPENING_MARKS.get(text[i]) == SINGLE and _can_open(text, i)
                    for i in range(index + 1, len(text))
                )
            )
            if runs_on and (introduced or index == len(text) - len(text.lstrip())):
                quotations.append(
                    Quotation(index, len(text), index + 1, len(text.rstrip()), family, closed=False)
                )
                break
            index += 1
            continue
        # Width 0: a double quotation whose closing mark is missing ends where the next one opens.
        quotations.append(Quotation(index, close + width, index + 1, close, family, closed=width > 0))
        index = close + width
    return quotations


def _find_close(text: str, start: int, family: str) -> tuple[int | None, int]:
    weak = None
    for index in range(start + 1, min(len(text), start + MAX_QUOTATION_CHARS)):
        char = text[index]
        if width := _close_width(text, start, index, family):
            if family == SINGLE and _is_weak_close(text, index):
                weak = index if weak is None else weak
                continue
            return index, width
        if char in OPENING_MARKS and OPENING_MARKS[char] == family and _can_open(text, index):
            # A new quotation of the same kind opens: this one closed at the possible close, if any.
            return (weak, 1) if weak is not None or family == SINGLE else (index, 0)
    return weak, 1


def is_title(text: str, quotation: Quotation) -> bool:
    """A quoted title of a work or programme: title case, and introduced as one or three words long."""
    inner = quotation.inner(text).strip().rstrip(",")
    if not inner or inner[-1] in ".;:" or not is_title_case(inner):
        return False
    if len(inner.split()) >= 3:
        return True  # people do not speak in title case: "The Secret Life of Art", "Cross by the Sea"
    before = text[max(0, quotation.start - LOOK_BEHIND) : quotation.start]
    if _POSSESSIVE_BEFORE.search(before):
        return True
    preceding = [word.lower() for word in _WORDS.findall(before)[-3:]]
    if any(word in WORK_NOUNS for word in preceding):
        return True
    # "'The Night Shift,' a 2019 book by …": the kind of work is named right after the title.
    after = _WORK_AFTER.match(text, quotation.end)
    if after and any(word.lower() in WORK_NOUNS for word in after.group("words").split()):
        return True
    # "appearing on 'Face the Nation'": a programme named after "on".
    return bool(preceding) and preceding[-1] == "on" and len(inner.split()) >= 2
