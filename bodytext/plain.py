"""
Plain text and the body format: copy as the importer reads it (paragraphs between blank lines,
"## " subheads), and ``escape``/``from_plain``, which turn such text into a body that renders as
exactly that text, whatever Markdown characters it holds.
"""

import re
from dataclasses import dataclass

SUBHEAD_PREFIX = "## "
BLOCK_SEPARATOR = re.compile(r"\n[ \t]*\n")

# Characters that mean something anywhere on a line: a backslash escapes, "*" and "_" emphasise,
# "[" and "]" make links and directives. "<", "&", "`" and "!" mean nothing in this format (raw
# HTML, entities, code and images are switched off), so they stay as typed.
_INLINE = re.compile(r"[\\*_\[\]]")
# What a line may start with to become a block: "#" a heading, ">" a blockquote, "-" or "+" a
# bulleted item ("*" is escaped above), "1." or "1)" a numbered item.
_BULLET = re.compile(r"^[-+](?=[ \t]|$)")
_NUMBER = re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)")


@dataclass(frozen=True)
class Block:
    kind: str  # "subhead" or "paragraph"
    text: str
    start: int  # offset of ``text`` in the body


def split_blocks(body: str) -> list[Block]:
    """Plain copy's subheads and paragraphs, in order, with their offsets in the copy."""
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


def _lines(text: str) -> list[str]:
    # As the parser reads text: any line break, and a NUL as the replacement character.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")
    return [line.strip() for line in text.split("\n")]


def _escape_line(line: str) -> str:
    line = _INLINE.sub(r"\\\g<0>", line)
    if line[:1] in ("#", ">"):
        return "\\" + line
    if _BULLET.match(line):
        return "\\" + line
    return _NUMBER.sub(r"\1\\\2", line, count=1)


def _paragraphs(text: str) -> list[list[str]]:
    paragraphs, current = [], []
    for line in _lines(text):
        if line:
            current.append(line)
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def canonical(text: str) -> str:
    """
    The text as readers read it once rendered: whitespace around lines and extra blank lines mean
    nothing in HTML, and are gone. plain_text(escape(text)) is exactly this.
    """
    return "\n\n".join("\n".join(lines) for lines in _paragraphs(text))


def escape(text: str) -> str:
    """
    Any plain text as a body that renders as exactly that text: paragraphs where the text has
    blank lines, every other character printed as typed (asterisks, brackets, "1." or "#" at the
    start of a line, backslashes, "<b>", "&amp;", addresses).
    """
    return "\n\n".join("\n".join(map(_escape_line, lines)) for lines in _paragraphs(text))


def _escape_subhead(text: str) -> str:
    text = " ".join(line for line in _lines(text) if line)
    text = _INLINE.sub(r"\\\g<0>", text)
    # Hashes closing a heading are markup ("## Title ##"): a subhead ending in "#" keeps them.
    return re.sub(r"#+$", lambda run: "\\#" * len(run.group()), text)


def from_plain(body: str) -> str:
    """
    A body in the plain format (paragraphs, "## " subheads: the importer's copy and bodies
    written before Markdown) as a body of the same meaning in this format.
    """
    parts = []
    for block in split_blocks(body):
        if block.kind == "subhead":
            subhead = _escape_subhead(block.text)
            if subhead:
                parts.append(SUBHEAD_PREFIX + subhead)
        else:
            paragraph = escape(block.text)
            if paragraph:
                parts.append(paragraph)
    return "\n\n".join(parts)


def plain_text_of_plain(body: str) -> str:
    """
    plain_text(from_plain(body)), read straight from the plain format without parsing Markdown:
    what the migration of a large archive computes for each of its bodies.
    """
    parts = []
    for block in split_blocks(body):
        if block.kind == "subhead":
            text = " ".join(line for line in _lines(block.text) if line)
            if text:
                parts.append(text)
        else:
            text = canonical(block.text)
            if text:
                parts.append(text)
    return "\n\n".join(parts)


def to_plain(blocks) -> str:
    """A parsed body's text back in the plain format: subheads as "## ", markup gone."""
    return "\n\n".join(("## " if block.kind == "subhead" else "") + block.text for block in blocks)
