"""Each endpoint from outside: what it gives for the seed story, and nothing unpublished."""

import pytest

from tests.api.conftest import HIDDEN, assert_nothing_hidden
from tests.conftest import SEED_SLUG

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_article_has_its_body_in_both_forms_its_quotes_with_speakers_and_its_links(http, newsroom):
    article = http.json(f"/api/articles/{SEED_SLUG}/")

    assert article["slug"] == SEED_SLUG
    assert article["headline"] == newsroom.headline
    assert article["body"] == newsroom.body
    assert article["body_html"].count('<q class="quote"') == newsroom.quotes.count()
    assert article["url"].endswith(f"/articles/{SEED_SLUG}/") and article["url"].startswith("http")
    assert article["section"]["slug"] == "world"
    assert {tag["slug"] for tag in article["tags"]} >= {"ukraine", "russia"}
    assert len(article["quotes"]) == newsroom.quotes.count()
    first = article["quotes"][0]
    assert first["speaker"]["slug"] and first["text"] and first["url"].endswith(f"#{first['anchor']}")
    assert {person["slug"] for person in article["people"]} >= {"donald-trump", "vladimir-putin"}
    assert article["status"] == "published"


def test_the_list_gives_published_articles_only(http, newsroom):
    listing = http.json("/api/articles/", params={"include": "body,quotes,people"})

    assert [item["slug"] for item in listing["items"]] == [SEED_SLUG]
    assert listing["next_cursor"] is None and listing["next"] is None


@pytest.mark.parametrize("kind", sorted(HIDDEN))
def test_an_unpublished_article_is_not_found(http, newsroom, kind):
    response = http.get(f"/api/articles/{HIDDEN[kind]}/")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_a_persons_quotes_on_a_tag_are_one_request_newest_first(http, newsroom):
    quotes = http.json("/api/quotes/", params={"speaker": "vladimir-putin", "tag": "ukraine"})["items"]

    assert quotes
    assert {quote["speaker"]["slug"] for quote in quotes} == {"vladimir-putin"}
    assert {quote["article"]["slug"] for quote in quotes} == {SEED_SLUG}
    assert (
        http.json("/api/quotes/", params={"speaker": "vladimir-putin", "tag": "no-such-tag"})["items"] == []
    )


def test_a_person_has_their_quotes_and_articles_and_the_lists_of_all(http, newsroom):
    person = http.json("/api/people/donald-trump/")

    assert person["name"] == "Donald Trump"
    assert person["quotes"] and {quote["speaker"]["slug"] for quote in person["quotes"]} == {"donald-trump"}
    assert [article["slug"] for article in person["articles"]] == [SEED_SLUG]
    assert (
        http.json(person["quotes_url"].removeprefix(http.base))["items"]
        == http.json("/api/quotes/", params={"speaker": "donald-trump"})["items"]
    )


@pytest.mark.parametrize(
    "path",
    ["/api/articles/", "/api/quotes/", "/api/people/", "/api/tags/", "/api/authors/", "/api/sections/"],
)
def test_no_list_shows_anything_unpublished(http, newsroom, path):
    response = http.get(path, params={"limit": 100} if path != "/api/sections/" else None)
    assert response.status_code == 200
    assert_nothing_hidden(response.text)


@pytest.mark.parametrize("path", ["/api/people/hidden-speaker/", "/api/quotes/?speaker=hidden-speaker"])
def test_someone_quoted_only_in_unpublished_stories_is_not_there(http, newsroom, path):
    response = http.get(path)
    assert response.status_code in (200, 404)
    assert_nothing_hidden(response.text)


def test_no_answer_carries_staff_data(http, newsroom):
    text = http.get(f"/api/articles/{SEED_SLUG}/").text + http.get("/api/authors/").text
    for staff_only in ("email", "user_id", "created_by", "edit_version", "events", "revision", "body_text"):
        assert staff_only not in text


def test_fields_and_include_choose_the_payload(http, newsroom):
    small = http.json("/api/articles/", params={"fields": "slug,headline"})["items"][0]
    assert set(small) == {"slug", "headline"}

    plain = http.json("/api/articles/")["items"][0]
    assert "body" not in plain and "quotes" not in plain and "tags" in plain

    more = http.json("/api/articles/", params={"include": "body,quotes"})["items"][0]
    assert more["body"] == newsroom.body and more["quotes"]

    detail = http.json(f"/api/articles/{SEED_SLUG}/", params={"fields": "slug,body_html"})
    assert set(detail) == {"slug", "body_html"}


def test_sections_tags_and_authors(http, newsroom):
    assert [section["slug"] for section in http.json("/api/sections/")["items"]] == ["world"]
    tags = {tag["slug"] for tag in http.json("/api/tags/", params={"limit": 100})["items"]}
    assert "ukraine" in tags and "hidden-tag" not in tags
    assert http.json("/api/authors/")["items"] == []


def test_head_answers_as_get_without_a_body(http, newsroom):
    response = http.request("HEAD", f"/api/articles/{SEED_SLUG}/")
    assert response.status_code == 200
    assert response.content == b""
    assert int(response.headers["Content-Length"]) > 1000
