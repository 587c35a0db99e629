"""
A body as HTML. The renderer writes every element itself from the parser's tokens (so the quotes
and first mentions can be marked in place, across bold, italic and links), and its output then
goes through nh3 with an allowlist of exactly those elements, as a second, independent line of
defence: should the renderer ever let something through, the sanitiser drops it.
"""

import re
from dataclasses import dataclass, field

import nh3

from bodytext.embeds import Embed, read_embed
from bodytext.marks import PersonLink, QuoteMark, first_mentions, locate_quotes
from bodytext.syntax import Directive, Parsed, TextBlock, is_external, link_problem, parse

EXTERNAL_REL = "noopener noreferrer"

# What the renderer writes, and all that nh3 lets through. The pictures of inline images come
# from the image library's renderer (images.rendering.picture_html), hence picture and source.
ALLOWED_ATTRIBUTES = {
    "a": {"href", "class", "rel"},
    "blockquote": set(),
    "br": set(),
    "button": {"class", "type", "hidden"},
    "em": set(),
    "figcaption": {"class"},
    "figure": {"class"},
    "h2": {"id"},
    "h3": {"id"},
    "img": {"src", "srcset", "sizes", "width", "height", "alt", "loading", "decoding", "class"},
    "li": set(),
    "ol": {"start"},
    "p": {"class"},
    "picture": set(),
    "q": {"class", "id"},
    "source": {"type", "srcset", "sizes", "media"},
    "span": {"class"},
    "strong": set(),
    "ul": set(),
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_ATTRIBUTES),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,  # the renderer sets rel on external links itself
        strip_comments=True,
    )


def text_html(text: str) -> str:
    """Text escaped as HTML, in the form nh3's serialiser writes it (so it passes unchanged)."""
    text = _as_parsed(text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\xa0", "&nbsp;")


def attribute_html(value: str) -> str:
    return _as_parsed(value).replace("&", "&amp;").replace('"', "&quot;").replace("\xa0", "&nbsp;")


def _as_parsed(text: str) -> str:
    # Text from elsewhere than the body (a quote's, a name) as HTML reads it: line breaks as
    # "\n", no NUL; the body's own text comes from the parser already so.
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")


def slug_for_subhead(text: str) -> str:
    words = re.findall(r"\w+", text.lower())
    return "section-" + "-".join(words)[:60].strip("-")


def link_html(href: str, css_class: str = "") -> str:
    attributes = f' class="{css_class}"' if css_class else ""
    rel = f' rel="{EXTERNAL_REL}"' if is_external(href) else ""
    return f'<a href="{attribute_html(href)}"{attributes}{rel}>'


@dataclass
class _Mark:
    start: int
    end: int
    open_html: str
    close_html: str


@dataclass
class _Element:
    open_html: str
    close_html: str
    emitted: bool = False
    mark: bool = False


@dataclass
class _Inline:
    items: list[tuple] = field(default_factory=list)  # (kind, offset, payload…)
    links: list[tuple[int, int]] = field(default_factory=list)  # offsets of kept links' words


def _read_inline(block: TextBlock) -> _Inline:
    inline = _Inline()
    offset = block.start
    opened_links = []
    children = block.inline.children or []
    for index, child in enumerate(children):
        kind = child.type
        if kind == "text":
            if child.content:
                inline.items.append(("text", offset, child.content))
                offset += len(child.content)
        elif kind in ("softbreak", "hardbreak"):
            inline.items.append(("text" if kind == "softbreak" else "br", offset, "\n"))
            offset += 1
        elif kind in ("em_open", "strong_open"):
            inline.items.append(("open", offset, f"<{child.tag}>", f"</{child.tag}>"))
        elif kind in ("em_close", "strong_close"):
            inline.items.append(("close", offset))
        elif kind == "link_open":
            href = child.attrGet("href") or ""
            empty = index + 1 < len(children) and children[index + 1].type == "link_close"
            # A refused address keeps its words, without the link (the form has said why).
            kept = not empty and not link_problem(href)
            opened_links.append((kept, offset))
            if kept:
                inline.items.append(("open", offset, link_html(href), "</a>"))
        elif kind == "link_close" and opened_links:
            kept, start = opened_links.pop()
            if kept:
                inline.items.append(("close", offset))
                inline.links.append((start, offset))
    return inline


# At one offset: elements end, then marks end, marks begin, and elements begin, so that a mark
# holds the elements that lie within it.
_RANK = {"close": 0, "mark_close": 1, "mark_open": 2, "open": 3, "text": 4, "br": 4}


def _render_inline(inline: _Inline, marks: list[_Mark]) -> str:
    cuts = sorted({mark.start for mark in marks} | {mark.end for mark in marks})
    events = []
    for item in inline.items:
        if item[0] == "text":
            _, start, text = item
            pieces = [cut - start for cut in cuts if start < cut < start + len(text)]
            for piece_start, piece_end in zip([0, *pieces], [*pieces, len(text)], strict=True):
                events.append(("text", start + piece_start, text[piece_start:piece_end]))
        else:
            events.append(item)
    for mark in marks:
        events.append(("mark_open", mark.start, mark))
        events.append(("mark_close", mark.end, mark))
    order = sorted(range(len(events)), key=lambda index: (events[index][1], _RANK[events[index][0]], index))

    out: list[str] = []
    stack: list[_Element] = []

    def emit_open():
        # Elements open when text comes, so that none is left empty by a mark's boundary.
        for element in stack:
            if not element.emitted:
                out.append(element.open_html)
                element.emitted = True

    def close_until(mark: bool) -> list[_Element]:
        """Close the elements above the innermost mark (or all of them); return them to reopen."""
        closed = []
        while stack and not (mark and stack[-1].mark):
            element = stack.pop()
            if element.emitted:
                out.append(element.close_html)
            closed.insert(0, _Element(element.open_html, element.close_html))
        return closed

    for index in order:
        kind, _, *payload = events[index]
        if kind == "text":
            emit_open()
            out.append(text_html(payload[0]))
        elif kind == "br":
            emit_open()
            out.append("<br>\n")
        elif kind == "open":
            stack.append(_Element(payload[0], payload[1]))
        elif kind == "close":
            element = stack.pop()
            if element.emitted:
                out.append(element.close_html)
        elif kind == "mark_open":
            reopen = close_until(mark=False)
            mark = payload[0]
            out.append(mark.open_html)
            stack.append(_Element(mark.open_html, mark.close_html, emitted=True, mark=True))
            stack.extend(reopen)
        else:
            reopen = close_until(mark=True)
            if stack:
                out.append(stack.pop().close_html)
            stack.extend(reopen)
    close_until(mark=False)
    return "".join(out)


def _quote_mark(start: int, end: int, quote: QuoteMark, holds_a_link: bool) -> _Mark:
    q_open = f'<q class="quote" id="{attribute_html(quote.anchor)}">'
    name = text_html(quote.speaker_name)
    if holds_a_link:
        # A link cannot hold another: the speaker's link follows the quote, visibly.
        return _Mark(start, end, q_open, f"</q> {link_html(quote.speaker_url, 'quote-by')}({name})</a>")
    # The speaker's name is in the link, hidden from sight: a title as well would have screen
    # readers say it twice.
    return _Mark(
        start,
        end,
        q_open + link_html(quote.speaker_url),
        f'<span class="visually-hidden"> ({name})</span></a></q>',
    )


def embed_html(embed: Embed) -> str:
    href = attribute_html(embed.url)
    network = text_html(embed.network)
    if embed.kind == "video":
        return (
            f'<figure class="embed embed-video"><a href="{href}" class="embed-link" rel="{EXTERNAL_REL}">'
            f"Watch the video on {network}</a> "
            f'<button class="embed-play" type="button" hidden="">Play the video here</button>'
            f'<figcaption class="embed-note">Playing it here loads {network}’s player.</figcaption></figure>'
        )
    shown = embed.url.split("://", 1)[-1]
    shown = shown if len(shown) <= 60 else shown[:59] + "…"
    return (
        f'<figure class="embed embed-post"><a href="{href}" class="embed-card" rel="{EXTERNAL_REL}">'
        f'<span class="embed-network">Post on {network}</span> '
        f'<span class="embed-address">{text_html(shown)}</span></a></figure>'
    )


def pullquote_html(quote: QuoteMark) -> str:
    return (
        f'<figure class="pullquote"><blockquote><p>{text_html(quote.text)}</p></blockquote>'
        f"<figcaption>{link_html(quote.speaker_url)}{text_html(quote.speaker_name)}</a></figcaption></figure>"
    )


def _directive_html(directive: Directive, quotes: list[QuoteMark], figures: dict[int, str]) -> str:
    # Whatever a directive names that is not there (a deleted image, a quote renumbered, an
    # address no longer allowed) prints nothing: the form warns, the page never fails.
    if directive.kind == "image" and directive.number is not None:
        return figures.get(directive.number, "")
    if directive.kind == "embed":
        embed = read_embed(directive.value)
        return embed_html(embed) if embed else ""
    if directive.kind == "pullquote" and directive.number is not None:
        quote = next((quote for quote in quotes if quote.order == directive.number), None)
        return pullquote_html(quote) if quote else ""
    return ""


def markup(
    body: str | Parsed,
    quotes: list[QuoteMark] = (),
    people: list[PersonLink] = (),
    figures: dict[int, str] | None = None,
) -> str:
    """The renderer's HTML, before the sanitiser: render_body() is this through nh3."""
    parsed = parse(body) if isinstance(body, str) else body
    quotes, figures = list(quotes), figures or {}
    inlines = {id(block.inline): (block, _read_inline(block)) for block in parsed.blocks}
    links = [span for _, inline in inlines.values() for span in inline.links]
    located = locate_quotes(parsed, quotes)
    marks = [
        _quote_mark(start, end, quote, any(start < l_end and l_start < end for l_start, l_end in links))
        for start, end, quote in located
    ]
    taken = [(start, end) for start, end, _ in located] + links
    marks += [
        _Mark(start, end, link_html(person.url, "mention"), "</a>")
        for start, end, person in first_mentions(parsed.blocks, list(people), taken)
    ]

    out: list[str] = []
    seen_ids: set[str] = set()
    tokens = parsed.tokens
    skip = 0
    for index, token in enumerate(tokens):
        if skip:
            skip -= 1
            continue
        if index in parsed.directives:
            html = _directive_html(parsed.directives[index], quotes, figures)
            if html:
                out.append(html + "\n")
            skip = 2  # its inline and paragraph_close
            continue
        kind = token.type
        if kind == "inline":
            entry = inlines.get(id(token))
            if entry is not None:
                block, inline = entry
                inside = [
                    mark
                    for mark in marks
                    if block.start <= mark.start and mark.end <= block.start + len(block.text)
                ]
                out.append(_render_inline(inline, inside))
        elif kind == "heading_open":
            entry = inlines.get(id(tokens[index + 1]))
            if entry is None:
                skip = 2  # an empty subhead
                continue
            tag = f"h{entry[0].level}"
            anchor = slug_for_subhead(entry[0].text)
            number = 2
            while anchor in seen_ids:
                anchor = f"{slug_for_subhead(entry[0].text)}-{number}"
                number += 1
            seen_ids.add(anchor)
            out.append(f'<{tag} id="{attribute_html(anchor)}">')
        elif kind == "heading_close":
            out.append(f"</h{2 if token.tag in ('h1', 'h2') else 3}>\n")
        elif kind == "paragraph_open" and not token.hidden:
            out.append("<p>")
        elif kind == "paragraph_close" and not token.hidden:
            out.append("</p>\n")
        elif kind == "ordered_list_open":
            start = token.attrGet("start")
            out.append(f'<ol start="{int(start)}">\n' if start not in (None, 1, "1") else "<ol>\n")
        elif kind in ("bullet_list_open", "blockquote_open"):
            out.append(f"<{token.tag}>\n")
        elif kind in ("bullet_list_close", "ordered_list_close", "blockquote_close", "list_item_close"):
            out.append(f"</{token.tag}>\n")
        elif kind == "list_item_open":
            out.append("<li>")
    return "".join(out).rstrip("\n")


def render_body(
    body: str,
    quotes: list[QuoteMark] = (),
    people: list[PersonLink] = (),
    figures: dict[int, str] | None = None,
) -> str:
    """
    The body as HTML: subheads, paragraphs, lists, blockquotes, emphasis and links; quotes marked
    in place and linked to their speaker; each person linked at their first mention; inline
    images (``figures``: their HTML by library number), embeds and pull quotes where the body
    names them. Sanitised with nh3 before it is returned.
    """
    return sanitise(markup(body, quotes, people, figures))
