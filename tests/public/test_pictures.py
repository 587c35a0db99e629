"""
Pictures on the reader pages and in what machines read: the article's lead picture with its
caption and credit, teaser thumbnails, portraits, social cards, JSON-LD, feeds and the sitemap.
"""

import json
import xml.etree.ElementTree as ElementTree

import pytest
from django.core.files.storage import default_storage

from tests.factories import ArticleFactory, PersonFactory, QuoteFactory, SectionFactory
from tests.html_tree import parse_html
from tests.public.pictures import make_image

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
MEDIA = "{http://search.yahoo.com/mrss/}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
IMAGE = "{http://www.google.com/schemas/sitemap-image/1.1}"


@pytest.fixture
def picture(media):
    return make_image(
        alt_text="Delegates arrive at the summit", caption="Delegates arrive.", credit="Jane Doe/AP"
    )


@pytest.fixture
def story(picture, yesterday):
    section = SectionFactory(name="World", slug="world")
    return ArticleFactory(
        slug="story", headline="Talks resume", section=section, published_at=yesterday, lead_image=picture
    )


def page(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return parse_html(response.content)


def meta(tree) -> dict[str, str]:
    return {
        (tag.attrs.get("property") or tag.attrs.get("name")): tag.attrs.get("content")
        for tag in tree.find_all("meta")
        if tag.attrs.get("property") or tag.attrs.get("name")
    }


def test_the_article_shows_its_lead_picture_first_with_its_caption_and_credit(client, story, picture):
    figure = page(client, "/articles/story/").find("figure", class_="lead-figure")
    img = figure.find("img")

    assert img.attrs["loading"] == "eager"
    assert img.attrs["fetchpriority"] == "high"
    landscape = picture.renditions["landscape"]
    assert (int(img.attrs["width"]), int(img.attrs["height"])) == (landscape["width"], landscape["height"])
    assert img.attrs["alt"] == "Delegates arrive at the summit"
    assert figure.find("source").attrs["type"] == "image/webp"
    assert figure.find("figcaption").text.split() == ["Delegates", "arrive.", "Jane", "Doe/AP"]
    assert figure.find("span", class_="credit").text == "Jane Doe/AP"


def test_an_article_without_a_picture_has_no_figure_and_a_small_social_card(client, yesterday):
    ArticleFactory(slug="plain", published_at=yesterday)
    tree = page(client, "/articles/plain/")

    assert not tree.find_all("figure", class_="lead-figure")
    tags = meta(tree)
    assert tags["twitter:card"] == "summary"
    assert "og:image" not in tags


def test_the_social_card_is_the_lead_pictures_large_rendition(client, story, picture):
    tags = meta(page(client, "/articles/story/"))

    social = picture.renditions["social"]
    assert tags["og:image"] == f"http://testserver/media/{social['name']}"
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["og:image:type"] == "image/jpeg"
    assert tags["og:image:alt"] == "Delegates arrive at the summit"
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["twitter:image"] == tags["og:image"]


def test_a_decorative_picture_gives_no_alt_text_to_share(client, story, picture):
    picture.decorative = True
    picture.save()

    tags = meta(page(client, "/articles/story/"))

    assert tags["twitter:card"] == "summary_large_image"
    assert "og:image:alt" not in tags
    assert (
        page(client, "/articles/story/").find("figure", class_="lead-figure").find("img").attrs["alt"] == ""
    )


def test_json_ld_gives_the_article_its_picture_as_an_image_object(client, story, picture):
    tree = page(client, "/articles/story/")
    [data] = [json.loads(script.text) for script in tree.find_all("script", type="application/ld+json")]

    assert data["image"] == {
        "@type": "ImageObject",
        "url": f"http://testserver/media/{picture.renditions['social']['name']}",
        "width": 1200,
        "height": 630,
        "encodingFormat": "image/jpeg",
        "caption": "Delegates arrive.",
        "creditText": "Jane Doe/AP",
    }


def test_a_person_page_shows_their_portrait_and_gives_it_to_machines(client, story, media):
    portrait = make_image(
        width=900, height=1200, hue=90, alt_text="Ada Lovelace in 1840", caption="", credit=""
    )
    person = PersonFactory(name="Ada Lovelace", slug="ada-lovelace", portrait=portrait)
    story.people.add(person)

    tree = page(client, "/people/ada-lovelace/")

    img = tree.find("div", class_="portrait").find("img")
    assert img.attrs["alt"] == "Ada Lovelace in 1840"
    assert img.attrs["width"] == img.attrs["height"]  # the square crop
    assert meta(tree)["og:image"].endswith(portrait.renditions["social"]["name"])
    [data] = [json.loads(script.text) for script in tree.find_all("script", type="application/ld+json")]
    assert data["mainEntity"]["image"]["url"].startswith("http://testserver/media/")


def test_the_people_list_shows_portraits_where_there_are_some(client, story, media):
    portrait = make_image(hue=40, alt_text="Ada Lovelace")
    for name, image in (("Ada Lovelace", portrait), ("Bob Noface", None)):
        person = PersonFactory(name=name, portrait=image)
        story.people.add(person)

    items = page(client, "/people/").find("ul", class_="person-index").find_all("li")

    assert [bool(item.find_all("img")) for item in items] == [True, False]
    assert items[0].find("img").attrs["loading"] == "lazy"


@pytest.mark.parametrize("url", ["/", "/sections/world/", "/tags/summit/", "/search/?q=talks"])
def test_lists_show_each_storys_thumbnail_lazily_below_the_lead(client, story, url):
    story.tags.add("Summit")
    ArticleFactory(headline="Talks stall", section=story.section, lead_image=None).tags.add("Summit")

    tree = page(client, url)
    cards = [card for card in tree.find_all("article") if "Talks" in card.text]

    assert len(cards) == 2
    with_picture = [card for card in cards if card.find_all("img")]
    assert len(with_picture) == 1
    img = with_picture[0].find("img")
    assert img.attrs["width"] and img.attrs["height"]
    if url != "/":  # the front page's lead loads at once
        assert img.attrs["loading"] == "lazy"


def test_feed_items_carry_their_picture_as_an_enclosure_and_media_content(client, story, picture, yesterday):
    ArticleFactory(headline="No picture", section=story.section, published_at=yesterday)
    url = f"http://testserver/media/{picture.renditions['social']['name']}"

    channel = ElementTree.fromstring(client.get("/feeds/latest/rss/").content).find("channel")
    items = {item.find("title").text: item for item in channel.findall("item")}

    enclosure = items["Talks resume"].find("enclosure")
    # The length is the stored file's, as RSS asks.
    length = default_storage.size(picture.renditions["social"]["name"])
    assert length > 0
    assert enclosure.attrib == {"url": url, "length": str(length), "type": "image/jpeg"}
    content = items["Talks resume"].find(f"{MEDIA}content")
    assert content.attrib == {
        "url": url,
        "type": "image/jpeg",
        "width": "1200",
        "height": "630",
        "medium": "image",
    }
    assert content.find(f"{MEDIA}description").text == "Delegates arrive at the summit"
    assert content.find(f"{MEDIA}credit").text == "Jane Doe/AP"
    assert items["No picture"].find("enclosure") is None
    assert items["No picture"].find(f"{MEDIA}content") is None

    feed = ElementTree.fromstring(client.get("/feeds/latest/atom/").content)
    [entry] = [
        entry for entry in feed.findall(f"{ATOM}entry") if entry.find(f"{ATOM}title").text == "Talks resume"
    ]
    links = {link.attrib["rel"]: link.attrib for link in entry.findall(f"{ATOM}link")}
    assert links["enclosure"]["href"] == url
    assert entry.find(f"{MEDIA}content").attrib["url"] == url


def test_the_sitemap_lists_each_articles_picture(client, story, picture, yesterday):
    ArticleFactory(slug="no-picture", section=story.section, published_at=yesterday)

    urlset = ElementTree.fromstring(client.get("/sitemap.xml").content)
    pictures = {
        url.find(f"{SITEMAP}loc").text: [loc.text for loc in url.iter(f"{IMAGE}loc")] for url in urlset
    }

    assert pictures["http://testserver/articles/story/"] == [
        f"http://testserver/media/{picture.renditions['social']['name']}"
    ]
    assert pictures["http://testserver/articles/no-picture/"] == []
    assert pictures["http://testserver/sections/world/"] == []


def test_quote_cards_and_pages_without_pictures_still_render(client, story):
    QuoteFactory(article=story, text="The first paragraph.")
    assert page(client, "/quotes/").find_all("figure", class_="quote-card")
