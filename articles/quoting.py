"""Quoted words: as editors paste them, and checked to appear verbatim in a text. Plain Python, no Django."""

import re

# Pairs a quotation may be wrapped in, in the languages a newsroom quotes from.
_QUOTATION_MARKS = {'"': '"', "'": "'", "“": "”", "‘": "’", "«": "»", "»": "«", "„": "“", "‚": "‘", "‹": "›"}


def tidy_quote(quote: str) -> str:
    """
    The quote as stored, from the quote as editors often paste it: without the quotation marks
    wrapped around it (pages add their own, and the marks in the body stay around the words
    marked there) and without the comma that closes a quoted clause ("…same story," she said).
    """
    text = quote.strip()
    while len(text) >= 2 and _QUOTATION_MARKS.get(text[0]) == text[-1]:
        text = text[1:-1].strip()
    if text == quote.strip() and not text.endswith(","):
        return quote  # as typed, to the space: the body is checked for exactly these words
    return text.rstrip(", ")


def first_missing_words(quote: str, body: str) -> str:
    """
    Return "" when ``quote`` appears word for word in ``body``; otherwise the part of the
    quote from the first word that no longer matches, so an editor sees what to fix.
    """
    if quote in body:
        return ""
    # Word boundaries as (start, end) offsets, so the longest matching prefix can be found.
    words = [match.span() for match in re.finditer(r"\S+", quote)]
    matched = 0
    for index, (_, end) in enumerate(words):
        if quote[:end] in body:
            matched = index + 1
        else:
            break
    if matched == len(words):
        # Every word is there; only the whitespace after the last one (or a blank quote) is not.
        return quote[words[-1][0] :] if words else quote
    if matched == 0:
        return quote.strip()
    return quote[words[matched][0] :].strip()
