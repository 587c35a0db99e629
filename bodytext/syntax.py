"""
Reading a body: the Markdown subset (markdown-it-py, raw HTML off), the directives that stand
alone in their paragraph ([[image:ID]], [[embed:URL]], [[pullquote:N]]), the links and their
rules, and the text readers read (plain_text), which quotes are verified against.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from bodytext.embeds import read_embed

# Everything of CommonMark that the format does not hold is switched off, so it reads as text.
_DISABLED = [
    "code",
    "fence",
    "hr",
    "reference",
    "html_block",
    "lheading",
    "backticks",
    "image",
    "autolink",
    "html_inline",
    "entity",
]

DIRECTIVE = re.compile(r"^\[\[([A-Za-z]+):(.*)\]\]$", re.DOTALL)
DIRECTIVE_KINDS = ("image", "embed", "pullquote")
_DIRECTIVE_INSIDE = re.compile(r"\[\[(?:image|embed|pullquote):", re.IGNORECASE)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_WEB_ADDRESS = re.compile(r"^https?://[^/?#@:]+(:[0-9]{1,5})?([/?#]|$)", re.IGNORECASE)
LINK_SCHEMES = ("http", "https", "mailto", "tel")


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(_DISABLED)
    # Every link becomes a token, whatever its address, so that link_problem() alone decides:
    # the form names a refused one, and the renderer prints its words without the link.
    md.validateLink = lambda url: True
    return md


def link_problem(href: str) -> str:
    """Why the body may not link to ``href``; "" when it may."""
    shown = href if len(href) <= 60 else href[:59] + "…"
    if not href.strip():
        return "A link has no address: put one between the brackets, e.g. (https://example.org/)."
    if "\\" in href or any(ord(character) <= 0x20 or ord(character) == 0x7F for character in href):
        return f"The link address “{shown}” has spaces or control characters in it: copy the address again."
    if href.startswith("//"):
        return f"The link address “{shown}” has no scheme: start it with https://."
    if href[0] in "/#?":
        return ""
    scheme = _SCHEME.match(href)
    if scheme is None:
        return (
            f"The link address “{shown}” is not a full address: start it with https:// "
            "(or / for a page of this site)."
        )
    if scheme.group(1).lower() not in LINK_SCHEMES:
        return (
            f"Links may not use “{scheme.group(1)}:” addresses (“{shown}”): use https://, http://, "
            "mailto:, tel: or an address on this site starting with /."
        )
    if scheme.group(1).lower() in ("http", "https") and not _WEB_ADDRESS.match(href):
        return (
            f"The link address “{shown}” has no site name after the scheme: write it as https://example.org/…"
        )
    return ""


def is_external(href: str) -> bool:
    return href[:5].lower() == "http:" or href[:6].lower() == "https:"


@dataclass
class TextBlock:
    """A stretch of text readers read: a subhead, a paragraph, a list item's or blockquote's."""

    kind: str  # "subhead" or "paragraph"
    inline: Token
    text: str = ""
    start: int = 0  # offset in plain_text()
    level: int = 0  # a subhead's: 2 for "## " (and "# "), 3 for "### " and deeper


@dataclass(frozen=True)
class Directive:
    kind: str
    value: str
    source: str  # as written, for messages

    @property
    def number(self) -> int | None:
        value = self.value.strip()
        return int(value) if value.isdigit() and len(value) < 10 else None


@dataclass
class Parsed:
    tokens: list[Token]
    blocks: list[TextBlock] = field(default_factory=list)
    # Index of the paragraph_open token of each directive paragraph.
    directives: dict[int, Directive] = field(default_factory=dict)

    def is_directive(self, inline: Token) -> bool:
        return any(self.tokens[index + 1] is inline for index in self.directives)

    @property
    def plain_text(self) -> str:
        return "\n\n".join(block.text for block in self.blocks)


def inline_text(children: list[Token]) -> str:
    """An inline's text as readers read it: its words, a line break as "\\n", markup gone."""
    parts = []
    for child in children:
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def _directive(tokens: list[Token], index: int) -> Directive | None:
    # A directive is a whole paragraph of its own, outside lists and blockquotes.
    opening = tokens[index]
    if opening.type != "paragraph_open" or opening.level != 0 or index + 1 >= len(tokens):
        return None
    source = tokens[index + 1].content.strip()
    match = DIRECTIVE.match(source)
    if match is None or "\n" in source:
        return None
    return Directive(match.group(1).lower(), match.group(2), source)


def parse(body: str) -> Parsed:
    tokens = parser().parse(body or "")
    parsed = Parsed(tokens)
    offset = 0
    for index, token in enumerate(tokens):
        directive = _directive(tokens, index)
        if directive is not None:
            parsed.directives[index] = directive
            continue
        if token.type != "inline" or index - 1 in parsed.directives:
            continue
        opening = tokens[index - 1]
        if opening.type == "heading_open":
            level = 2 if opening.tag in ("h1", "h2") else 3
            block = TextBlock("subhead", token, inline_text(token.children or []), level=level)
        else:
            block = TextBlock("paragraph", token, inline_text(token.children or []))
        if not block.text:
            continue
        if parsed.blocks:
            offset += 2  # the blank line between blocks
        block.start = offset
        offset += len(block.text)
        parsed.blocks.append(block)
    return parsed


def plain_text(body: str) -> str:
    """What readers read: the words of every subhead, paragraph and list item, markup gone."""
    return parse(body).plain_text


def first_paragraph(body: str) -> str:
    """The text of the body's first paragraph (or list item), "" when it has none."""
    return next((block.text for block in parse(body).blocks if block.kind == "paragraph"), "")


def subheads(body: str) -> list[str]:
    """The text of the body's main subheads (## ), in order."""
    return [block.text for block in parse(body).blocks if block.level == 2]


def directives(body: str) -> list[Directive]:
    return list(parse(body).directives.values())


def image_ids(body: str) -> list[int]:
    """The library numbers of the images standing in the body, in order, each once."""
    ids = []
    for directive in directives(body):
        if directive.kind == "image" and directive.number is not None and directive.number not in ids:
            ids.append(directive.number)
    return ids


# An [[image:N]] directive as written: a directive is a paragraph's whole source, so each one in
# the body matches this (so may text that only looks like one, in a list or a longer paragraph).
_IMAGE_NAMED = re.compile(r"\[\[image:\s*(\d{1,9})\s*\]\]", re.IGNORECASE)


def image_ids_named(body: str) -> list[int]:
    """Every number image_ids() can find and perhaps a few more, without parsing the body."""
    return list(dict.fromkeys(int(number) for number in _IMAGE_NAMED.findall(body or "")))


def pullquote_refs(body: str) -> list[int]:
    """The quote numbers (orders) of the body's pull quotes, in order."""
    return [
        directive.number
        for directive in directives(body)
        if directive.kind == "pullquote" and directive.number is not None
    ]


def links(body: str) -> list[str]:
    """Every link address in the body, as the parser reads it."""
    return [
        child.attrGet("href") or ""
        for token in parse(body).tokens
        if token.type == "inline"
        for child in token.children or []
        if child.type == "link_open"
    ]


def problems(body: str) -> list[str]:
    """What is wrong with the body's links and directives, in words an editor can act on."""
    parsed = parse(body)
    found = []
    for token in parsed.tokens:
        if token.type != "inline":
            continue
        children = token.children or []
        for index, child in enumerate(children):
            if child.type == "link_open":
                problem = link_problem(child.attrGet("href") or "")
                if problem:
                    found.append(problem)
                elif index + 1 < len(children) and children[index + 1].type == "link_close":
                    found.append(
                        f"A link to {child.attrGet('href')} has no words to click: put them in the brackets."
                    )
        if _DIRECTIVE_INSIDE.search(token.content) and not parsed.is_directive(token):
            found.append(
                "An [[image:…]], [[embed:…]] or [[pullquote:…]] must stand alone in its paragraph, "
                "with a blank line before and after it."
            )
    for directive in parsed.directives.values():
        found.extend(_directive_problems(directive))
    return list(dict.fromkeys(found))


def _directive_problems(directive: Directive) -> list[str]:
    if directive.kind not in DIRECTIVE_KINDS:
        return [
            f"“{directive.source[:60]}” is not something the body can hold: use [[image:N]], "
            "[[embed:address]] or [[pullquote:N]] (or write \\[\\[ to print the brackets)."
        ]
    if directive.kind == "embed":
        if read_embed(directive.value) is None:
            return [
                f"“{directive.source[:80]}”: the body can embed a YouTube or Vimeo video, or a post on "
                "X, Bluesky, Mastodon, Instagram, Facebook or TikTok: paste its https:// address."
            ]
        return []
    if directive.number is None:
        what = (
            "an image is named by its number in the library"
            if directive.kind == "image"
            else ("a pull quote is named by its quote's number (Order)")
        )
        return [f"“{directive.source[:60]}”: {what}, e.g. [[{directive.kind}:12]]."]
    return []
