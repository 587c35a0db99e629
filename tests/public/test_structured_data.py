"""schema.org JSON-LD and sharing tags, read back out of the rendered pages."""

import json

import pytest

from tests.conftest import SEED_SLUG
from tests.factories import ArticleFactory, PersonFactory, QuoteFactory
from tests.html_tree import parse_html

pytestmark = pytest.mark.django_db


def json_ld(response) -> list[dict]:
    assert response.status_code == 200
    page = parse_html(response.content)
    return [json.loads(script.text) for script in page.find_all("script", type="application/ld+json")]


def meta(response) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for tag in parse_html(response.content).find_all("meta"):
        key = tag.attrs.get("property") or tag.attrs.get("name")
        if key:
            found.setdefault(key, []).append(tag.attrs.get("content"))
    return found


def test_an_article_is_a_news_article_with_its_people_and_quotes(client, seed):
    [data] = json_ld(client.get(f"/articles/{SEED_SLUG}/"))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == seed.headline
    assert data["url"] == f"http://testserver/articles/{SEED_SLUG}/"
    assert data["datePublished"] == "2025-05-19T20:00:00+00:00"
    assert data["dateModified"] == "2025-05-19T20:00:00+00:00"
    assert data["author"] == [{"@type": "Organization", "name": "Newsroom staff and agencies"}]
    assert data["publisher"]["@type"] == "NewsMediaOrganization"
    assert data["publisher"]["name"] == "Newsroom"
    assert data["articleSection"] == "World"
    assert "Ceasefire" in data["keywords"]
    assert data["inLanguage"] == "en-US"
    mentioned = {person["name"]: person for person in data["mentions"]}
    assert mentioned["Vladimir Putin"]["url"] == "http://testserver/people/vladimir-putin/"
    assert mentioned["Dmitry Peskov"]["jobTitle"] == "Kremlin spokesperson"
    quotation = next(part for part in data["hasPart"] if part["text"] == "frank and meaningful.")
    assert quotation["@type"] == "Quotation"
    assert quotation["spokenByCharacter"]["name"] == "Vladimir Putin"
    assert quotation["spokenByCharacter"]["@id"] == mentioned["Vladimir Putin"]["@id"]
    assert quotation["url"].endswith(f"/articles/{SEED_SLUG}/#quote-1")


def test_staff_authors_are_the_article_authors(client, yesterday, reporter):
    article = ArticleFactory(published_at=yesterday, byline="")
    article.authors.add(reporter.author)

    [data] = json_ld(client.get(article.get_absolute_url()))

    assert data["author"] == [{"@type": "Person", "name": "Rita", "url": "http://testserver/authors/rita/"}]


def test_date_modified_follows_a_revision_of_the_published_text(client, yesterday):
    article = ArticleFactory(published_at=yesterday)
    article.body += "\n\nA paragraph added after publication."
    article.save()

    response = client.get(article.get_absolute_url())

    [data] = json_ld(response)
    revised = article.revised_at.replace(microsecond=0).isoformat()
    assert data["datePublished"] == yesterday.replace(microsecond=0).isoformat()
    assert data["dateModified"] == revised > data["datePublished"]
    assert meta(response)["article:modified_time"] == [revised]


def test_json_ld_cannot_be_broken_out_of_by_the_text_it_carries(client, yesterday):
    headline = 'Breaking </script><script>alert("x")</script> <!-- & more'
    article = ArticleFactory(published_at=yesterday, headline=headline, dek="Fish & chips <b>")

    response = client.get(article.get_absolute_url())

    [data] = json_ld(response)
    assert data["headline"] == headline
    assert data["description"] == "Fish & chips <b>"
    scripts = parse_html(response.content).find_all("script")
    inline = [script for script in scripts if "src" not in script.attrs]
    # The only inline script is the data; the rest are our own files, empty in the page.
    assert [script.attrs.get("type") for script in inline] == ["application/ld+json"]
    assert all(
        script.attrs["src"].startswith("/static/") and not script.text
        for script in scripts
        if script not in inline
    )
    ld_source = inline[0].text
    assert "<" not in ld_source and ">" not in ld_source and "&" not in ld_source


def test_an_article_has_open_graph_and_twitter_card_tags(client, seed):
    tags = meta(client.get(f"/articles/{SEED_SLUG}/"))
    assert tags["og:type"] == ["article"]
    assert tags["og:title"] == [seed.headline]
    assert tags["og:description"] == [seed.summary]
    assert tags["og:url"] == [f"http://testserver/articles/{SEED_SLUG}/"]
    assert tags["og:site_name"] == ["Newsroom"]
    assert tags["article:published_time"] == ["2025-05-19T20:00:00+00:00"]
    assert tags["article:section"] == ["World"]
    assert "Ceasefire" in tags["article:tag"]
    assert tags["twitter:card"] == ["summary"]
    assert tags["twitter:title"] == [seed.headline]


def test_a_person_page_is_a_profile_page_of_a_person_with_their_quotes(client, yesterday):
    putin = PersonFactory(
        name="Vladimir Putin",
        slug="vladimir-putin",
        role="Russian President",
        affiliation="Russia",
        aliases="Putin",
        bio="President of Russia.",
        wikidata_id="Q7747",
    )
    article = ArticleFactory(published_at=yesterday, body="Putin called it “frank and meaningful.” today.")
    article.people.add(putin)
    QuoteFactory(article=article, speaker=putin, text="frank and meaningful.", order=1)

    [data] = json_ld(client.get("/people/vladimir-putin/"))

    assert data["@type"] == "ProfilePage"
    person = data["mainEntity"]
    assert person == {
        "@type": "Person",
        "@id": "http://testserver/people/vladimir-putin/#person",
        "name": "Vladimir Putin",
        "url": "http://testserver/people/vladimir-putin/",
        "jobTitle": "Russian President",
        "affiliation": {"@type": "Organization", "name": "Russia"},
        "sameAs": ["https://www.wikidata.org/wiki/Q7747"],
        "description": "President of Russia.",
        "alternateName": ["Putin"],
    }
    [quotation] = data["hasPart"]
    assert quotation["@type"] == "Quotation"
    assert quotation["text"] == "frank and meaningful."
    assert quotation["spokenByCharacter"]["@id"] == person["@id"]
    assert quotation["isPartOf"]["headline"] == article.headline


def test_a_person_without_a_wikidata_id_has_no_same_as(client, yesterday):
    person = PersonFactory(slug="someone")
    ArticleFactory(published_at=yesterday).people.add(person)
    [data] = json_ld(client.get("/people/someone/"))
    assert "sameAs" not in data["mainEntity"]
    assert meta(client.get("/people/someone/"))["og:type"] == ["profile"]
