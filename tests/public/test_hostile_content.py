"""
Hostile content is inert everywhere readers and machines read it.

Every text field an editor can fill carries one payload from tests/xss_payloads.py at a time;
then every public page, feed, sitemap and JSON-LD block is parsed and checked: the payload is
there as text, and nothing in it became an element or an attribute.

The site never renders HTML from content: templates autoescape every field, the search
highlighter (articles/highlighting.py) escapes every character and adds only its own markup, and
JSON-LD escapes "<", ">" and "&". The body is Markdown with raw HTML off: the renderer (bodytext)
writes every element itself, refuses unsafe link schemes and embeds, and its output goes through
nh3's allowlist as well (docs/security.md). The body's own elements get hostile input of their
own: tests/xss_payloads.py, BODY_PAYLOADS.
"""

import json
import re
import xml.etree.ElementTree as ElementTree
from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.text import slugify

from articles.models import Article, ArticleNote, Author, Person, Quote, Section
from articles.quoting import tidy_quote
from articles.search import clean_query
from bodytext import from_plain, problems
from tests.html_tree import Element, parse_html
from tests.xss_payloads import BODY_PAYLOADS, BODY_TEXT_PAYLOADS, PAYLOADS

ATOM = "{http://www.w3.org/2005/Atom}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
BENIGN = "Plain words"
SEARCH_WORD = "zebra"

# Characters XML 1.0 cannot carry: feeds and sitemaps leave them out.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href"}
FOREIGN_ELEMENTS = {"iframe", "frame", "object", "embed", "applet", "base", "style", "svg", "math"}
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL | re.IGNORECASE)


@pytest.fixture(scope="module")
def reader():
    """An anonymous reader's client, shared: its handler (and WhiteNoise's file scan) is set up once."""
    return Client()


def test_the_payloads_are_what_an_editor_could_type():
    for payload in PAYLOADS.values():
        assert len(payload) <= 100
        assert payload == payload.strip()
        assert "\x00" not in payload
        assert not re.search(r"\n[ \t]*\n", payload)


def tag_name(payload: str) -> str:
    # A tag with no letters or digits is refused by the article form (no slug, no address).
    return payload if slugify(payload, allow_unicode=True) else f"{payload} topic"


def fill_newsroom(payload: str, when) -> dict[str, str]:
    """One published article with the payload in every text field an editor fills; its URLs."""
    section = Section(name=payload, slug="hostile-section", description=payload)
    person = Person(
        name=payload,
        slug="hostile-person",
        role=payload,
        affiliation=payload,
        bio=payload,
        aliases=f"{payload}\nZebra",
    )
    user = User.objects.create_user("hostile", is_staff=True)
    author = Author(user=user, display_name=payload, slug="hostile-author", bio=payload)
    # Validated as the admin's forms validate them: these are inputs an editor can save.
    for instance in (section, person, author):
        instance.full_clean()
        instance.save()
    article = Article(
        headline=payload,
        slug="hostile-article",
        dek=payload,
        # The quotes below are found in it (marked in place); the last paragraph mentions
        # the person (linked); the subhead gets an id from its words.
        # Typed as plain text: escaped, as the importer and the migration of old bodies do.
        body=from_plain(
            "\n\n".join(
                [
                    payload,
                    f"## {payload}",
                    f"The {SEARCH_WORD} said {payload} at noon.",
                    f"Later {payload} left.",
                ]
            )
        ),
        section=section,
        byline=payload,
        status=Article.Status.PUBLISHED,
        published_at=when,
    )
    article.full_clean()
    article.save()
    article.authors.add(author)
    article.people.add(person)
    article.tags.add(tag_name(payload))
    for order, text in enumerate([payload, f"{SEARCH_WORD} said {payload}"], start=1):
        quote = Quote(article=article, speaker=person, text=text, context=payload, order=order)
        quote.full_clean()
        quote.save()
    note = ArticleNote(article=article, kind=ArticleNote.Kind.CORRECTION, text=payload)
    note.full_clean()
    note.save()

    tag = article.tags.get()
    return {
        "front": reverse("articles:front-page"),
        "article": article.get_absolute_url(),
        "section": section.get_absolute_url(),
        "tag": reverse("articles:tag", kwargs={"slug": tag.slug}),
        "person": person.get_absolute_url(),
        "people": reverse("articles:people"),
        "author": author.get_absolute_url(),
        "quotes": reverse("articles:quotes"),
        "search": reverse("articles:search") + f"?q={SEARCH_WORD}",
        "latest-rss": reverse("articles:latest-rss"),
        "latest-atom": reverse("articles:latest-atom"),
        "section-rss": reverse("articles:section-rss", kwargs={"slug": section.slug}),
        "section-atom": reverse("articles:section-atom", kwargs={"slug": section.slug}),
        "tag-rss": reverse("articles:tag-rss", kwargs={"slug": tag.slug}),
        "tag-atom": reverse("articles:tag-atom", kwargs={"slug": tag.slug}),
        "person-rss": reverse("articles:person-rss", kwargs={"slug": person.slug}),
        "person-atom": reverse("articles:person-atom", kwargs={"slug": person.slug}),
        "sitemap": reverse("articles:sitemap"),
        "news-sitemap": reverse("articles:news-sitemap"),
    }


def fetch(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content


def is_xml(name: str) -> bool:
    return name.endswith(("rss", "atom", "sitemap"))


def html_shape(page: Element) -> Counter:
    """Which elements a page has, with which attributes: what injected markup would change."""
    return Counter((element.tag, tuple(sorted(element.attrs))) for element in page.iter())


def xml_shape(root: ElementTree.Element) -> Counter:
    return Counter((element.tag, tuple(sorted(element.attrib))) for element in root.iter())


def shapes(contents: dict[str, bytes]) -> dict[str, Counter]:
    return {
        name: xml_shape(ElementTree.fromstring(content)) if is_xml(name) else html_shape(parse_html(content))
        for name, content in contents.items()
    }


_benign_shapes: dict[str, Counter] = {}


def benign_shapes(client, when) -> dict[str, Counter]:
    """The shapes of the same pages with harmless text, measured once and rolled back."""
    if not _benign_shapes:
        with transaction.atomic():
            urls = fill_newsroom(BENIGN, when)
            _benign_shapes.update(shapes({name: fetch(client, url) for name, url in urls.items()}))
            transaction.set_rollback(True)
    return _benign_shapes


def assert_inert(page: Element, url: str):
    """Nothing on the page can run script or send the reader elsewhere unasked."""
    for element in page.iter():
        where = f"{url}: <{element.tag} {element.attrs}>"
        if element.tag == "script":
            assert element.attrs.get("src") or element.attrs.get("type") == "application/ld+json", where
        assert element.tag not in FOREIGN_ELEMENTS, where
        assert not (element.tag == "meta" and element.attrs.get("http-equiv")), where
        for name, value in element.attrs.items():
            assert not name.startswith("on"), where
            squashed = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            assert not (name in URL_ATTRIBUTES and squashed.startswith(DANGEROUS_SCHEMES)), where


def strings_in(value) -> set[str]:
    """Every string value in parsed JSON."""
    if isinstance(value, str):
        return {value}
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return set().union(*(strings_in(item) for item in items))


def json_ld_strings(html: str) -> list[set[str]]:
    """The string values of each JSON-LD block, which must stay JSON inside its script element."""
    blocks = JSON_LD.findall(html)
    assert len(blocks) == html.count('type="application/ld+json"')
    for block in blocks:
        assert "</script" not in block.lower() and "<!--" not in block
    return [strings_in(json.loads(block)) for block in blocks]


def html_text(fragment: str) -> str:
    """What an HTML field of a feed (RSS description, Atom summary) shows: text only, no markup."""
    parsed = parse_html(fragment)
    assert parsed.elements == [], fragment
    return parsed.text


def check_rss(content: bytes, payload: str, *, named_in_title: bool):
    expected = XML_ILLEGAL.sub("", payload)
    channel = ElementTree.fromstring(content).find("channel")
    if named_in_title:
        assert channel.findtext("title").endswith(expected)
    (item,) = channel.findall("item")
    assert item.findtext("title") == expected
    assert html_text(item.findtext("description")) == expected
    assert expected in item.findtext("{http://purl.org/dc/elements/1.1/}creator")
    assert item.findtext("category") == XML_ILLEGAL.sub("", tag_name(payload))


def check_atom(content: bytes, payload: str, *, named_in_title: bool):
    expected = XML_ILLEGAL.sub("", payload)
    feed = ElementTree.fromstring(content)
    if named_in_title:
        assert feed.findtext(f"{ATOM}title").endswith(expected)
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == expected
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert html_text(summary.text) == expected
    assert expected in entry.findtext(f"{ATOM}author/{ATOM}name")


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_hostile_text_in_every_field_is_inert_on_every_page_feed_and_json_ld(reader, db, yesterday, payload):
    expected_shapes = benign_shapes(reader, yesterday)
    urls = fill_newsroom(payload, yesterday)
    contents = {name: fetch(reader, url) for name, url in urls.items()}
    for name, shape in shapes(contents).items():
        added, removed = shape - expected_shapes[name], expected_shapes[name] - shape
        assert not added and not removed, f"{urls[name]}: the payload added {added}, removed {removed}"

    for name, content in contents.items():
        if is_xml(name):
            continue
        html = content.decode()
        assert_inert(parse_html(html), urls[name])
        for strings in json_ld_strings(html):
            assert payload in strings, f"{name}: the payload is not a JSON-LD string value"

    article = parse_html(contents["article"])
    assert article.find("h1", class_="headline").text == payload
    assert article.find("p", class_="dek").text == payload
    assert payload in article.find("div", class_="article-body").text
    # A quote is saved without quotation marks wrapped around it (a payload in '…').
    assert article.find("q", id="quote-1").visible_text == tidy_quote(payload)
    assert parse_html(contents["person"]).find("h1").text == payload

    for feed in ("latest", "section", "tag", "person"):
        check_rss(contents[f"{feed}-rss"], payload, named_in_title=feed != "latest")
        check_atom(contents[f"{feed}-atom"], payload, named_in_title=feed != "latest")
    news = ElementTree.fromstring(contents["news-sitemap"])
    assert news.findtext(f".//{NEWS}title") == XML_ILLEGAL.sub("", payload)

    # The payload as a search query, shown back to the reader in the search box and the heading.
    response = reader.get(reverse("articles:search"), {"q": payload})
    assert response.status_code == 200
    search = parse_html(response.content)
    assert_inert(search, "search")
    for field in search.find_all("input", type="search"):
        assert field.attrs["value"] == clean_query(payload)


@pytest.mark.parametrize("name", ["Zürich", "Україна", "北京"])
def test_a_tag_in_any_script_has_working_pages(client, published_article, name):
    published_article.tags.add(name)
    article = parse_html(client.get(published_article.get_absolute_url()).content)
    link = article.find("a", rel="tag")
    assert link.text == name
    for url in (link.attrs["href"], link.attrs["href"] + "rss/", link.attrs["href"] + "atom/"):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("name, body", BODY_PAYLOADS.items(), ids=BODY_PAYLOADS.keys())
def test_hostile_markdown_in_the_body_is_refused_by_the_form_and_inert_on_the_page(
    reader, db, yesterday, name, body
):
    # The form refuses it (bodytext.problems), unless it is mere text: saved all the same,
    # straight into the database, the page still renders it harmless.
    assert bool(problems(body)) == (name not in BODY_TEXT_PAYLOADS), problems(body)
    section = Section.objects.create(name="Hostile", slug="hostile-section")
    article = Article.objects.create(
        headline="Hostile body",
        slug="hostile-body",
        body=f"Before.\n\n{body}\n\nAfter.",
        section=section,
        status=Article.Status.PUBLISHED,
        published_at=yesterday,
    )

    page = parse_html(fetch(reader, article.get_absolute_url()))

    assert_inert(page, article.get_absolute_url())
    content = page.find("div", class_="article-body")
    assert not content.find_all("iframe") and not content.find_all("script")
    for link in content.find_all("a"):
        assert re.match(r"^(https?://[^/\\]|/(?![/\\])|#|mailto:|tel:)", link.attrs["href"]), link.attrs
    assert content.find_all("p")[0].text == "Before." and content.find_all("p")[-1].text == "After."
