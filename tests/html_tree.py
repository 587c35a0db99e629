"""Parses HTML into a small element tree, so tests check a page's structure rather than substrings."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)
    parent: Element | None = field(default=None, repr=False)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    @property
    def text(self) -> str:
        """All the text inside, as a parser reads it (entities decoded)."""
        return "".join(child if isinstance(child, str) else child.text for child in self.children)

    @property
    def visible_text(self) -> str:
        """The text a sighted reader sees: without ``.visually-hidden`` parts for screen readers."""
        return "".join(
            child if isinstance(child, str) else child.visible_text
            for child in self.children
            if isinstance(child, str) or "visually-hidden" not in child.classes
        )

    @property
    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    @property
    def elements(self) -> list[Element]:
        """The child elements, without the text between them."""
        return [child for child in self.children if isinstance(child, Element)]

    def iter(self) -> Iterator[Element]:
        for child in self.elements:
            yield child
            yield from child.iter()

    def find_all(self, tag: str | None = None, *, class_: str | None = None, **attrs: str) -> list[Element]:
        """Descendants by tag, class and exact attribute values (``rel="canonical"``, ``id=…``)."""
        return [
            element
            for element in self.iter()
            if (tag is None or element.tag == tag)
            and (class_ is None or class_ in element.classes)
            and all(element.attrs.get(name) == value for name, value in attrs.items())
        ]

    def find(self, tag: str | None = None, *, class_: str | None = None, **attrs: str) -> Element:
        """The one descendant that matches; fails the test when there is none or more than one."""
        found = self.find_all(tag, class_=class_, **attrs)
        assert len(found) == 1, f"expected one <{tag or '*'}> {class_ or ''} {attrs}, found {len(found)}"
        return found[0]


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document")
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), parent=self.current)
        self.current.children.append(element)
        if tag not in VOID_ELEMENTS:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, dict(attrs), parent=self.current))

    def handle_endtag(self, tag):
        # Close up to the matching open element; a stray end tag is ignored, as browsers do.
        for node in (self.current, *self.current.ancestors):
            if node.tag == tag:
                self.current = node.parent or self.root
                return

    def handle_data(self, data):
        self.current.children.append(data)


def parse_html(html: str | bytes) -> Element:
    builder = _TreeBuilder()
    builder.feed(html.decode() if isinstance(html, bytes) else html)
    builder.close()
    return builder.root
