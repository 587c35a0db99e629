"""
Reads the shape of a story: the headline on the first line, an optional "By …" line,
short title-case lines as subheads, and paragraphs — one per line, or separated by blank
lines and hard-wrapped. Produces the body in the project's format (paragraphs separated by
blank lines, "## " before a subhead) without changing the words.
"""

import re
from dataclasses import dataclass

from ingest.decoding import CopyRefused
from ingest.vocabulary import SMALL_WORDS

SUBHEAD_PREFIX = "## "
HEADLINE_MAX_CHARS = 300  # Article.headline's max_length
HEADLINE_MAX_WORDS = 60  # British papers' headlines run to 200 characters
SUBHEAD_MAX_WORDS = 12
SUBHEAD_MAX_CHARS = 100
WRAPPED_LINE_MAX_CHARS = 100

# "By Reuters": the credit is what follows "By" (pages print their own "By").
_BYLINE = re.compile(r"^by\s+(?P<credit>[A-Z]\S*(?:\s+\S+){0,8})$", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w'’.\-]*|\d[\w'’.\-]*")
# A headline may end with an abbreviation such as "U.S." but not with an ordinary full stop.
_ENDS_WITH_ABBREVIATION = re.compile(r"(?:\b[A-Z]\.)+$")


@dataclass(frozen=True)
class Layout:
    headline: str
    byline: str  # the credit after "By" ("Reuters"), or ""
    blocks: tuple[tuple[str, str], ...]  # ("subhead" | "paragraph", text)

    @property
    def subheads(self) -> list[str]:
        return [text for kind, text in self.blocks if kind == "subhead"]

    @property
    def body(self) -> str:
        return "\n\n".join(SUBHEAD_PREFIX + text if kind == "subhead" else text for kind, text in self.blocks)


def is_title_case(text: str, max_words: int = SUBHEAD_MAX_WORDS) -> bool:
    """Every word that is not a small word ("and", "of", "the"…) starts with a capital or digit."""
    words = _WORD.findall(text)
    if not words or len(words) > max_words or not (words[0][0].isupper() or words[0][0].isdigit()):
        return False
    return all(word[0].isupper() or word[0].isdigit() or word.lower() in SMALL_WORDS for word in words)


def looks_like_subhead(line: str) -> bool:
    line = line.strip()
    if not line or len(line) > SUBHEAD_MAX_CHARS or line[-1] in ".,;:" or line[0] in "\"'“‘”’":
        return False
    return is_title_case(line)


def _refuse_headline(line: str) -> str | None:
    """Why ``line`` cannot be a headline, or None when it can."""
    if line.startswith(("{", "[", "<")):
        return "it looks like data or markup, such as JSON or HTML, not copy"
    if not any(char.isalpha() for char in line):
        return "it has no words, only figures or signs"
    if len(line) > HEADLINE_MAX_CHARS or len(line.split()) > HEADLINE_MAX_WORDS:
        return "it reads as a paragraph (headlines are one short line)"
    if line.endswith(".") and not line.endswith("...") and not _ENDS_WITH_ABBREVIATION.search(line):
        return "it ends with a full stop, like a sentence"
    if line.startswith(SUBHEAD_PREFIX.strip()) and not line.startswith("# "):
        return "it is marked as a subhead"
    return None


def read_layout(text: str) -> Layout:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line.lstrip("\ufeff") for line in lines]
    first = next((index for index, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise CopyRefused("empty: there is no text in it")

    headline = lines[first].strip()
    if headline.startswith("# "):
        headline = headline[2:].strip()
    reason = _refuse_headline(headline)
    if reason:
        raise CopyRefused(f"no headline: the first line is not a headline ({reason})")

    rest = lines[first + 1 :]
    byline = ""
    following = next((index for index, line in enumerate(rest) if line.strip()), None)
    if following is not None and (credit := _BYLINE.match(rest[following].strip())):
        byline = credit["credit"]
        rest = rest[following + 1 :]

    blocks = tuple(_blocks(rest))
    if not any(kind == "paragraph" for kind, _ in blocks):
        raise CopyRefused("no body: there are no paragraphs after the headline")
    return Layout(headline=headline, byline=byline, blocks=blocks)


def _groups(lines: list[str]) -> list[list[str]]:
    """Runs of non-blank lines, split at blank lines."""
    groups, current = [], []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _is_hard_wrapped(groups: list[list[str]]) -> bool:
    """Paragraphs separated by blank lines, each broken over several short lines."""
    if len(groups) < 2:
        return False
    longest = max(len(line) for group in groups for line in group)
    return longest <= WRAPPED_LINE_MAX_CHARS and any(len(group) > 1 for group in groups)


def _blocks(lines: list[str]):
    groups = _groups(lines)
    wrapped = _is_hard_wrapped(groups)
    for group in groups:
        if wrapped:
            if group[0].startswith(SUBHEAD_PREFIX) or (len(group) == 1 and looks_like_subhead(group[0])):
                yield _subhead_or_paragraph(group[0], explicit_only=False)
                group = group[1:]
            elif len(group) > 1 and looks_like_subhead(group[0]):
                # A subhead directly above its paragraph, with no blank line between them.
                yield "subhead", group[0]
                group = group[1:]
            if group:
                yield "paragraph", " ".join(group)
            continue
        for index, line in enumerate(group):
            is_last_line = group is groups[-1] and index == len(group) - 1
            yield _subhead_or_paragraph(line, explicit_only=is_last_line)


def _subhead_or_paragraph(line: str, explicit_only: bool) -> tuple[str, str]:
    if line.startswith(SUBHEAD_PREFIX):
        return "subhead", line[len(SUBHEAD_PREFIX) :].strip()
    if not explicit_only and looks_like_subhead(line):
        return "subhead", line
    return "paragraph", line
