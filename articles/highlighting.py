"""
Highlights the words a reader searched for in a passage of text. Plain Python, no Django.

A passage carries its matches between two private-use characters, MARK_START and MARK_END:
PostgreSQL's ts_headline() is asked to use them, and passage() below uses them too. Only
marked_html() turns them into markup, after escaping everything else, so no text from an
article ever reaches a page as HTML.

A passage is looked for in the first PASSAGE_SOURCE_CHARS characters of a text only, here and in
PostgreSQL (articles.search): highlighting costs as much as the text is long, times the query's
terms, and a search highlights twenty results. A match further into a long article still finds
it; its passage is then the opening words.
"""

import re
from html import escape

MARK_START = "\ue000"
MARK_END = "\ue001"
ELLIPSIS = "…"
# About 800 words of news copy: all of most stories, the opening of a long read.
PASSAGE_SOURCE_CHARS = 5000

_SUBHEAD = re.compile(r"(?m)^[ \t]*## (.*?)[ \t]*$")
_MARKED = re.compile(f"({MARK_START}[^{MARK_START}{MARK_END}]*{MARK_END})")


def flatten(text: str) -> str:
    """The text as one line: a subhead set off by a dash, runs of whitespace (newlines too) as one space."""
    return " ".join(_SUBHEAD.sub(r"\1 —", text).split()).removesuffix(" —")


def passage(text: str, words: list[str], length: int = 35, lead: int = 8) -> str:
    """
    About ``length`` words of ``text`` around the first place one of ``words`` occurs (as part
    of a word, ignoring case), with every occurrence marked; the opening words when none does.
    Only the first PASSAGE_SOURCE_CHARS characters of ``text`` are read.
    """
    source = text[:PASSAGE_SOURCE_CHARS]
    cut = len(text) > len(source)
    tokens = flatten(source).split(" ")
    if not tokens or tokens == [""]:
        return ""
    if cut and len(tokens) > 1:
        tokens.pop()  # it may be half a word
    pattern = (
        re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)), re.IGNORECASE)
        if words
        else None
    )
    first = next((index for index, token in enumerate(tokens) if pattern and pattern.search(token)), 0)
    start = max(0, first - lead)
    end = min(len(tokens), start + length)
    excerpt = " ".join(tokens[start:end])
    if pattern:
        excerpt = pattern.sub(lambda match: f"{MARK_START}{match.group(0)}{MARK_END}", excerpt)
    more = end < len(tokens) or cut
    return (ELLIPSIS + " " if start > 0 else "") + excerpt + (" " + ELLIPSIS if more else "")


def marked_html(text: str) -> str:
    """``text`` as HTML: every character escaped, the marked matches in <mark>, stray marks dropped."""
    html = []
    for part in _MARKED.split(text):
        if part.startswith(MARK_START) and part.endswith(MARK_END):
            html.append(f"<mark>{escape(part[1:-1], quote=False)}</mark>")
        else:
            html.append(escape(part.replace(MARK_START, "").replace(MARK_END, ""), quote=False))
    return "".join(html)
