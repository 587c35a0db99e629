"""
Renders an article body to HTML. Plain Python with no Django imports.

Body format: paragraphs separated by blank lines; a paragraph starting with "## " is a
subhead. Every character of the body is HTML-escaped; the only markup is what this module
adds: quotes marked in place (linked to their speaker) and the first mention of each person
linked to their page.
"""

import bisect
import re
from dataclasses import dataclass
from html import escape

SUBHEAD_PREFIX = "## "
BLOCK_SEPARATOR = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class QuoteMark:
    text: str
    anchor: str
    speaker_name: str
    speaker_url: str


@dataclass(frozen=True)
class PersonLink:
    names: tuple[str, ...]
    name: str
    url: str


@dataclass(frozen=True)
class Block:
    kind: str  # "subhead" or "paragraph"
    text: str
    start: int  # offset of ``text`` in the body


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    open_tag: str
    close_tag: str


def split_blocks(body: str) -> list[Block]:
    """The body's subheads and paragraphs, in order, with their offsets in the body."""
    body = body.replace("\r\n", "\n")
    blocks = []
    position = 0
    for chunk in BLOCK_SEPARATOR.split(body):
        start = body.index(chunk, position)
        position = start + len(chunk)
        stripped = chunk.strip()
        if not stripped:
            continue
        start += chunk.index(stripped)
        if stripped.startswith(SUBHEAD_PREFIX):
            prefix = len(SUBHEAD_PREFIX)
            text = stripped[prefix:].strip()
            blocks.append(Block("subhead", text, start + stripped.index(text, prefix)))
        else:
            blocks.append(Block("paragraph", stripped, start))
    return blocks


def subheads(body: str) -> list[str]:
    return [block.text for block in split_blocks(body) if block.kind == "subhead"]


def slug_for_subhead(text: str) -> str:
    words = re.findall(r"\w+", text.lower())
    return "section-" + "-".join(words)[:60].strip("-")


def locate_quotes(body: str, quotes: list[QuoteMark]) -> list[tuple[int, int, QuoteMark]]:
    """
    Where each quote sits in the body. Quotes are looked for in order, each after the
    previous one, so a short quote that also occurs inside an earlier, longer one lands on
    its own occurrence; a quote found nowhere (or only overlapping others) is left unmarked.
    Only the text readers see counts: a quote lies within one subhead or paragraph, not in the
    blank lines between them or a subhead's "## ".
    """
    body = body.replace("\r\n", "\n")
    blocks = split_blocks(body)
    block_starts = [block.start for block in blocks]
    placed: list[tuple[int, int, QuoteMark]] = []
    cursor = 0

    def available(start, end):
        index = bisect.bisect_right(block_starts, start) - 1
        within_a_block = index >= 0 and end <= blocks[index].start + len(blocks[index].text)
        overlapping = any(start < other_end and other_start < end for other_start, other_end, _ in placed)
        return within_a_block and not overlapping

    for quote in quotes:
        # Line breaks as the quote form sends them (CRLF), like the body's.
        text = quote.text.replace("\r\n", "\n")
        if not text:
            continue
        start = earliest = None
        for match in re.finditer(f"(?={re.escape(text)})", body):
            if not available(match.start(), match.start() + len(text)):
                continue
            if match.start() >= cursor:
                start = match.start()
                break
            if earliest is None:
                earliest = match.start()
        start = earliest if start is None else start
        if start is None:
            continue
        end = start + len(text)
        placed.append((start, end, quote))
        cursor = end
    return sorted(placed, key=lambda item: item[0])


def _first_mentions(
    blocks: list[Block], people: list[PersonLink], quoted: list[tuple[int, int]]
) -> list[tuple[int, int, PersonLink]]:
    names = {}
    for person in people:
        for name in person.names:
            names.setdefault(name, person)
    if not names:
        return []
    # Longest names first, so "Vladimir Putin" wins over "Putin" at the same place.
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True)) + r")(?!\w)"
    )
    mentions = []
    linked = set()
    for block in blocks:
        if block.kind != "paragraph":
            continue
        for match in pattern.finditer(block.text):
            start, end = block.start + match.start(), block.start + match.end()
            person = names[match.group(1)]
            if person.url in linked or any(start < q_end and q_start < end for q_start, q_end in quoted):
                continue
            linked.add(person.url)
            mentions.append((start, end, person))
    return mentions


def _render_inline(text: str, offset: int, spans: list[_Span]) -> str:
    out = []
    position = 0
    for span in spans:
        start, end = span.start - offset, span.end - offset
        out.append(escape(text[position:start], quote=False))
        out.append(span.open_tag + escape(text[start:end], quote=False) + span.close_tag)
        position = end
    out.append(escape(text[position:], quote=False))
    return "".join(out)


def render_body(body: str, quotes: list[QuoteMark] = (), people: list[PersonLink] = ()) -> str:
    """The body as HTML: <h2> subheads, <p> paragraphs, quotes and first mentions linked."""
    body = body.replace("\r\n", "\n")
    blocks = split_blocks(body)
    located = locate_quotes(body, list(quotes))
    mentions = _first_mentions(blocks, list(people), [(start, end) for start, end, _ in located])

    spans = [
        _Span(
            start,
            end,
            # The speaker's name is in the link, hidden from sight: a title as well would have
            # screen readers say it twice.
            f'<q class="quote" id="{escape(quote.anchor)}"><a href="{escape(quote.speaker_url)}">',
            f'<span class="visually-hidden"> ({escape(quote.speaker_name)})</span></a></q>',
        )
        for start, end, quote in located
    ]
    spans += [
        _Span(start, end, f'<a class="mention" href="{escape(person.url)}">', "</a>")
        for start, end, person in mentions
    ]
    spans.sort(key=lambda span: span.start)

    html = []
    for block in blocks:
        block_end = block.start + len(block.text)
        inside = [span for span in spans if block.start <= span.start and span.end <= block_end]
        content = _render_inline(block.text, block.start, inside)
        if block.kind == "subhead":
            html.append(f'<h2 id="{slug_for_subhead(block.text)}">{content}</h2>')
        else:
            html.append(f"<p>{content}</p>")
    return "\n".join(html)
