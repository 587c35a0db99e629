"""
The article body's format: a Markdown subset, read by markdown-it-py with raw HTML off, rendered
by this package and sanitised by nh3 (docs/architecture.md, "The body format"). Plain Python: it
imports nothing of the project, so the importer and the archive generator use it as they are.
"""

from bodytext.embeds import Embed, read_embed
from bodytext.marks import PersonLink, QuoteMark, locate_quotes
from bodytext.plain import BLOCK_SEPARATOR, canonical, escape, from_plain, split_blocks
from bodytext.rendering import markup, render_body, sanitise, slug_for_subhead
from bodytext.syntax import (
    first_paragraph,
    image_ids,
    image_ids_named,
    link_problem,
    links,
    plain_text,
    problems,
    pullquote_refs,
    subheads,
)

__all__ = [
    "BLOCK_SEPARATOR",
    "Embed",
    "PersonLink",
    "QuoteMark",
    "canonical",
    "escape",
    "first_paragraph",
    "from_plain",
    "image_ids",
    "image_ids_named",
    "link_problem",
    "links",
    "locate_quotes",
    "markup",
    "plain_text",
    "problems",
    "pullquote_refs",
    "read_embed",
    "render_body",
    "sanitise",
    "slug_for_subhead",
    "split_blocks",
    "subheads",
]
