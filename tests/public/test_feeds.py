"""RSS and Atom feeds: valid XML, only published articles, linked from the pages they follow."""

import datetime
import xml.etree.ElementTree as ElementTree
from email.utils import parsedate_to_datetime

import pytest

from tests.factories import ArticleFactory, PersonFactory, SectionFactory
from tests.html_tree import parse_html

ATOM = "{http://www.w3.org/2005/Atom}"

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom(yesterday, hidden_article):
    """Two published articles in a section, with a tag and a person, and one hidden article."""
    world = SectionFactory(name="World", slug="world")
    person = PersonFactory(name="Dmitry Peskov", slug="dmitry-peskov")
    articles = [
        ArticleFactory(section=world, published_at=yesterday, headline=f"World story {number}")
        for number in range(2)
    ]
    for article in [*articles, hidden_article]:
        article.tags.add("Diplomacy")
        article.people.add(person)
    hidden_article.section = world
    hidden_article.headline = "Hidden story"
    hidden_article.save()
    return articles


def rss_items(response) -> list[dict]:
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.content).find("channel")
    return [
        {child.tag: child.text for child in item} | {"categories": [c.text for c in item.findall("category")]}
        for item in channel.findall("item")
    ]


def atom_entries(response) -> list[dict]:
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    assert feed.find(f"{ATOM}author/{ATOM}name").text  # Atom requires an author
    return [
        {
            "title": entry.find(f"{ATOM}title").text,
            "link": entry.find(f"{ATOM}link").attrib["href"],
            "published": entry.find(f"{ATOM}published").text,
            "updated": entry.find(f"{ATOM}updated").text,
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


@pytest.mark.parametrize(
    "path",
    ["/feeds/latest/rss/", "/sections/world/rss/", "/tags/diplomacy/rss/", "/people/dmitry-peskov/rss/"],
)
def test_rss_feeds_list_only_published_articles(client, newsroom, path):
    items = rss_items(client.get(path))
    assert sorted(item["title"] for item in items) == ["World story 0", "World story 1"]
    assert all(item["link"].startswith("http://testserver/articles/") for item in items)
    assert all(item["pubDate"] for item in items)
    assert all(item["categories"] == ["Diplomacy"] for item in items)


@pytest.mark.parametrize(
    "path",
    ["/feeds/latest/atom/", "/sections/world/atom/", "/tags/diplomacy/atom/", "/people/dmitry-peskov/atom/"],
)
def test_atom_feeds_list_only_published_articles(client, newsroom, path):
    entries = atom_entries(client.get(path))
    assert sorted(entry["title"] for entry in entries) == ["World story 0", "World story 1"]
    assert all(entry["published"] and entry["updated"] for entry in entries)


def test_a_feed_item_carries_the_article_summary_and_credit(client, newsroom):
    item = rss_items(client.get("/feeds/latest/rss/"))[0]
    assert item["description"] == "A short standfirst."
    # The factory's byline is "By A. Reporter": the credit is the name, without its "By".
    assert item["{http://purl.org/dc/elements/1.1/}creator"] == "A. Reporter"


def test_a_revision_of_a_published_article_updates_its_entry_and_the_feeds(client, newsroom, yesterday):
    revised, unrevised = newsroom
    revised.headline = "World story 0, put right"
    revised.save()

    atom = client.get("/feeds/latest/atom/")
    rss = client.get("/feeds/latest/rss/")

    entries = {entry["title"]: entry for entry in atom_entries(atom)}
    updated = datetime.datetime.fromisoformat(entries["World story 0, put right"]["updated"])
    assert updated == revised.revised_at > yesterday
    assert datetime.datetime.fromisoformat(entries[unrevised.headline]["updated"]) == yesterday
    assert ElementTree.fromstring(atom.content).findtext(f"{ATOM}updated") == updated.isoformat()
    last_build = ElementTree.fromstring(rss.content).findtext("channel/lastBuildDate")
    assert parsedate_to_datetime(last_build) == revised.revised_at.replace(microsecond=0)


@pytest.mark.parametrize(
    "path",
    [
        "/sections/nowhere/rss/",
        "/tags/nothing/atom/",
        "/people/nobody/rss/",
    ],
)
def test_feeds_of_things_that_do_not_exist_are_not_found(client, db, path):
    assert client.get(path).status_code == 404


def test_a_tag_or_person_only_hidden_articles_carry_has_no_feed(client, hidden_article):
    hidden_article.tags.add("Secret")
    hidden_article.people.add(PersonFactory(slug="unknown"))
    assert client.get("/tags/secret/rss/").status_code == 404
    assert client.get("/people/unknown/atom/").status_code == 404


def alternate_links(client, path) -> dict[str, str]:
    page = parse_html(client.get(path).content)
    return {
        link.attrs["type"] + " " + link.attrs["title"]: link.attrs["href"]
        for link in page.find_all("link", rel="alternate")
    }


@pytest.mark.parametrize(
    ("path", "title", "feed"),
    [
        ("/", "Newsroom: latest news", "/feeds/latest/"),
        ("/sections/world/", "Newsroom: World", "/sections/world/"),
        ("/tags/diplomacy/", "Newsroom: Diplomacy", "/tags/diplomacy/"),
        ("/people/dmitry-peskov/", "Newsroom: Dmitry Peskov", "/people/dmitry-peskov/"),
    ],
)
def test_pages_link_to_their_feeds(client, newsroom, path, title, feed):
    links = alternate_links(client, path)
    assert links[f"application/rss+xml {title} (RSS)"] == f"{feed}rss/"
    assert links[f"application/atom+xml {title} (Atom)"] == f"{feed}atom/"
    # Every page also offers the latest news.
    assert links["application/rss+xml Newsroom: latest news (RSS)"] == "/feeds/latest/rss/"
