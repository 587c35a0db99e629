"""Where the article's quotes and the first mentions of its people sit in the text readers read."""

import bisect
import re
from dataclasses import dataclass

from bodytext.syntax import Parsed, TextBlock, parse


@dataclass(frozen=True)
class QuoteMark:
    text: str
    anchor: str
    speaker_name: str
    speaker_url: str
    order: int | None = None  # the quote's number, which [[pullquote:N]] names


@dataclass(frozen=True)
class PersonLink:
    names: tuple[str, ...]
    name: str
    url: str


def locate_quotes(body: str | Parsed, quotes: list[QuoteMark]) -> list[tuple[int, int, QuoteMark]]:
    """
    Where each quote sits in plain_text(body). Quotes are looked for in order, each after the
    previous one, so a short quote that also occurs inside an earlier, longer one lands on its own
    occurrence; a quote found nowhere (or only overlapping others) is left unmarked. A quote lies
    within one subhead, paragraph or list item: the words readers read, whatever their markup.
    """
    parsed = parse(body) if isinstance(body, str) else body
    blocks = parsed.blocks
    text = parsed.plain_text
    block_starts = [block.start for block in blocks]
    placed: list[tuple[int, int, QuoteMark]] = []
    cursor = 0

    def available(start, end):
        index = bisect.bisect_right(block_starts, start) - 1
        within_a_block = index >= 0 and end <= blocks[index].start + len(blocks[index].text)
        overlapping = any(start < other_end and other_start < end for other_start, other_end, _ in placed)
        return within_a_block and not overlapping

    for quote in quotes:
        # Line breaks as the quote form sends them (CRLF), as the parser reads the body's.
        words = quote.text.replace("\r\n", "\n")
        if not words:
            continue
        start = earliest = None
        for match in re.finditer(f"(?={re.escape(words)})", text):
            if not available(match.start(), match.start() + len(words)):
                continue
            if match.start() >= cursor:
                start = match.start()
                break
            if earliest is None:
                earliest = match.start()
        start = earliest if start is None else start
        if start is None:
            continue
        end = start + len(words)
        placed.append((start, end, quote))
        cursor = end
    return sorted(placed, key=lambda item: item[0])


def first_mentions(
    blocks: list[TextBlock], people: list[PersonLink], taken: list[tuple[int, int]]
) -> list[tuple[int, int, PersonLink]]:
    """
    Each person's first mention in a paragraph or list item (not a subhead), outside the stretches
    ``taken`` (quotes and links, where a link of its own cannot go).
    """
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
            if person.url in linked or any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            linked.add(person.url)
            mentions.append((start, end, person))
    return mentions
