"""
Turns plain-text news copy into structured content: headline, subheads, body, the people
the story names and the quotations it attributes to them. Plain Python with no Django
imports, so it can be tested and reused on its own (the import command and the admin's
import page both use it).

    story = parse_story(decode_copy(data))
    story.headline, story.body, story.people, story.quotes, story.left_out
"""

from ingest.decoding import MAX_BYTES, CopyRefused, decode_copy
from ingest.story import FoundPerson, FoundQuote, KnownPerson, LeftOutQuote, Story, parse_story

__all__ = [
    "MAX_BYTES",
    "CopyRefused",
    "FoundPerson",
    "FoundQuote",
    "KnownPerson",
    "LeftOutQuote",
    "Story",
    "decode_copy",
    "parse_story",
]
