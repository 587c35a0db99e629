"""Readers' small expectations: sharing without anyone else's scripts, and dates read at a glance."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.staticfiles import finders

from tests.factories import ArticleFactory, SectionFactory
from tests.html_tree import parse_html

pytestmark = pytest.mark.django_db

ARTICLE_URL = "http://testserver/articles/story/"
# Each network's own share page, opened as a plain link.
NETWORKS = {
    "Bluesky": "bsky.app",
    "Facebook": "www.facebook.com",
    "LinkedIn": "www.linkedin.com",
    "WhatsApp": "wa.me",
    "X": "x.com",
}


@pytest.fixture
def story(yesterday):
    return ArticleFactory(slug="story", headline="Talks & trade resume", published_at=yesterday)


def page(client, url="/articles/story/"):
    response = client.get(url)
    assert response.status_code == 200
    return parse_html(response.content)


def test_the_article_offers_plain_share_links_to_email_and_the_major_networks(client, story):
    share = page(client).find("section", class_="share")
    links = {link.text: urlsplit(link.attrs["href"]) for link in share.find_all("a")}

    assert set(links) == {"Email", *NETWORKS}
    email = links.pop("Email")
    assert email.scheme == "mailto"
    assert parse_qs(email.query) == {"subject": ["Talks & trade resume"], "body": [ARTICLE_URL]}
    for name, link in links.items():
        assert (link.scheme, link.netloc) == ("https", NETWORKS[name])
        shared = " ".join(value for values in parse_qs(link.query).values() for value in values)
        assert ARTICLE_URL in shared, name
    for link in share.find_all("a"):
        if not link.attrs["href"].startswith("mailto:"):
            assert set(link.attrs["rel"].split()) == {"noopener", "noreferrer"}


def test_nothing_on_the_article_page_loads_from_another_site(client, story):
    tree = page(client)
    sources = [
        element.attrs.get("src") for element in tree.iter() if element.tag in {"script", "iframe", "img"}
    ]
    sources += [link.attrs["href"] for link in tree.find_all("link", rel="stylesheet")]

    assert all(source is None or source.startswith("/") for source in sources), sources
    assert not tree.find_all("iframe")


def test_the_copy_and_share_buttons_wait_for_our_script_and_carry_the_address(client, story):
    share = page(client).find("section", class_="share")
    buttons = share.find_all("button")

    assert [button.text for button in buttons] == ["Copy link", "Share…"]
    assert all("hidden" in button.attrs for button in buttons)  # no script, no dead button
    assert {button.attrs["data-url"] for button in buttons} == {ARTICLE_URL}
    assert share.find("p", class_="share-status").attrs["role"] == "status"
    assert finders.find("js/reader.js"), "the script the page loads is in static/"
    scripts = [script.attrs.get("src") for script in page(client).find_all("script")]
    assert "/static/js/reader.js" in scripts


@pytest.mark.parametrize(
    "published, printed, machine",
    [
        (
            datetime.datetime(2025, 12, 5, 9, 30, tzinfo=datetime.UTC),
            "5 December 2025, 09:30 GMT",
            "2025-12-05T09:30:00+00:00",
        ),
        (
            datetime.datetime(2026, 7, 1, 8, 30, tzinfo=datetime.UTC),
            "1 July 2026, 09:30 BST",
            "2026-07-01T09:30:00+01:00",
        ),
    ],
)
def test_dates_read_in_the_sites_time_zone_with_the_precise_time_kept(
    client, settings, published, printed, machine
):
    settings.TIME_ZONE = "Europe/London"
    section = SectionFactory(slug="world")
    ArticleFactory(slug="story", section=section, published_at=published)

    for url, container in (("/articles/story/", "byline"), ("/", "card"), ("/sections/world/", "card")):
        [time] = (
            page(client, url)
            .find("article" if container == "card" else "div", class_=container)
            .find_all("time")
        )
        assert " ".join(time.text.split()) == printed, url
        assert time.attrs["datetime"] == machine, url
        # Pages are cached for minutes: "2 hours ago" is worked out in the browser, never printed here.
        assert "data-ago" in time.attrs, url
