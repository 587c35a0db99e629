"""Readers' search: full-text on PostgreSQL, a plain word match on SQLite, only published content."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.highlighting import PASSAGE_SOURCE_CHARS
from articles.models import ArticleSearchDocument
from articles.search import (
    MAX_PHRASES,
    MAX_QUERY_LENGTH,
    MAX_WORDS,
    RESULTS_PER_PAGE,
    clean_query,
    query_words,
)
from tests.factories import ArticleFactory, PersonFactory, QuoteFactory
from tests.html_tree import parse_html

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _results_as_made(settings):
    """The search's results as it makes them (the response's context); caching them is tests/pagecache's."""
    settings.PAGE_CACHE = False


def search(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response


def result_slugs(response) -> list[str]:
    return [article.slug for article in response.context["results"].articles.object_list]


@pytest.mark.parametrize(
    "fields",
    [
        {"headline": "Ceasefire talks resume"},
        {"dek": "The ceasefire holds, for now."},
        {"body": "Nobody expected a ceasefire this week."},
    ],
    ids=["headline", "dek", "body"],
)
def test_search_finds_a_published_article_by_a_word_anywhere_in_it(client, yesterday, fields):
    article = ArticleFactory(published_at=yesterday, **fields)
    ArticleFactory(published_at=yesterday, headline="Unrelated", dek="", body="Nothing here.")

    assert result_slugs(search(client, "ceasefire")) == [article.slug]


def test_search_never_shows_unpublished_articles_people_or_quotes(client, hidden_article):
    hidden_article.headline = "Secret ceasefire plan"
    hidden_article.body = "The zanzibarian envoy said “ceasefire now”."
    hidden_article.save()
    envoy = PersonFactory(name="Ottoline Zanzibarian", slug="ottoline")
    hidden_article.people.add(envoy)
    QuoteFactory(article=hidden_article, speaker=envoy, text="ceasefire now")

    for query in ("ceasefire", "zanzibarian", "Ottoline"):
        results = search(client, query).context["results"]
        assert list(results.articles.object_list) == []
        assert results.people == []
        assert results.quotes == []


def test_a_headline_match_ranks_above_a_body_match(client, now, yesterday):
    in_body = ArticleFactory(
        published_at=now, headline="Talks in Istanbul", body="A ceasefire was discussed."
    )
    in_headline = ArticleFactory(published_at=yesterday, headline="Ceasefire agreed", body="At last.")

    assert result_slugs(search(client, "ceasefire")) == [in_headline.slug, in_body.slug]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("ceasefire", {"truce", "talks"}),
        ("Istanbul", {"talks"}),
        ("sanctions", {"sanctions"}),
        ("Zelenskyy", {"truce", "sanctions"}),
        ("banana", set()),
    ],
)
def test_one_word_queries_find_the_same_articles_on_every_database(client, yesterday, word, expected):
    ArticleFactory(slug="truce", headline="A truce at last", dek="", body="Zelenskyy welcomed the ceasefire.")
    ArticleFactory(
        slug="talks", headline="Talks in Istanbul", dek="No ceasefire yet.", body="Delegations met."
    )
    ArticleFactory(slug="sanctions", headline="New sanctions", dek="", body="Zelenskyy asked for more.")

    assert set(result_slugs(search(client, word))) == expected


def test_the_matching_passage_is_highlighted_and_the_rest_escaped(client, yesterday):
    ArticleFactory(
        published_at=yesterday,
        headline="Border talks",
        body="Officials said 5 < 6 & <b>the</b> ceasefire <script>alert('x')</script> would hold.",
    )

    page = parse_html(search(client, "ceasefire").content)
    passage = page.find("p", class_="passage")
    assert [mark.text.lower() for mark in passage.find_all("mark")] == ["ceasefire"]
    assert [element.tag for element in passage.iter()] == ["mark"]
    # Shown as text, never as markup (PostgreSQL's passage leaves out what looks like a tag).
    assert "5 < 6 &" in passage.text
    assert "alert('x')" in passage.text


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "x" * 5000,
        "ceasefire " * 300,
        '"',
        '"unterminated phrase',
        "'",
        "a & b | !c",
        "ceasefire:*",
        ":* & | ! <-> ( )",
        "!!!",
        "(((",
        "-",
        "or and not",
        "%_\\",
        "'; DROP TABLE articles_article; --",
        "1' OR '1'='1",
        "<script>alert(1)</script>",
        "東京 ñandú Zelenskyy’s «quotes»",
        "emoji 🕊️ peace",
        "a\x00b",
        "\x00",
        "\ue000marks\ue001",
    ],
)
def test_odd_queries_give_a_normal_page(client, seed, query):
    response = search(client, query)
    page = parse_html(response.content)
    assert len(page.find_all("h1")) == 1
    assert response.context["query"] == clean_query(query)


def test_queries_are_cleaned_before_they_are_searched():
    assert clean_query("  peace\x00talks \n now ") == "peace talks now"
    assert len(clean_query("word " * 1000)) <= MAX_QUERY_LENGTH
    assert query_words("Putin's «call» & a ceasefire-deal") == ["Putin", "call", "ceasefire", "deal"]


def test_an_empty_query_shows_the_form_and_no_results(client, seed):
    response = search(client, "")
    page = parse_html(response.content)
    assert page.find("input", id="search-page-q").attrs["value"] == ""
    assert page.find_all("ol", class_="search-results") == []


def test_results_are_paginated_and_the_pages_keep_the_query(client, now):
    import datetime

    for number in range(25):
        ArticleFactory(
            headline=f"Ceasefire update {number}", published_at=now - datetime.timedelta(hours=number)
        )

    first = search(client, "ceasefire")
    assert len(result_slugs(first)) == 20
    next_link = parse_html(first.content).find("a", rel="next").attrs["href"]
    assert next_link == "?q=ceasefire&page=2"

    second = search(client, "ceasefire", page="2")
    assert len(result_slugs(second)) == 5
    assert not set(result_slugs(first)) & set(result_slugs(second))
    # People and quotes come with the first page only.
    assert second.context["results"].people == []


def test_who_said_it_finds_quotes_with_their_speaker_and_article(client, yesterday):
    speaker = PersonFactory(name="Dmitry Peskov", slug="dmitry-peskov", role="Kremlin spokesperson")
    article = ArticleFactory(published_at=yesterday, body="He called the talks “frank and meaningful” today.")
    article.people.add(speaker)
    QuoteFactory(article=article, speaker=speaker, text="frank and meaningful", order=1)

    page = parse_html(search(client, "frank meaningful").content)
    card = page.find("figure", class_="quote-card")
    assert "frank and meaningful" in card.find("blockquote").text
    assert card.find("span", class_="quote-speaker").find("a").attrs["href"] == "/people/dmitry-peskov/"
    assert card.find("a", class_="quote-source").attrs["href"] == f"/articles/{article.slug}/#quote-1"


@pytest.mark.parametrize("query", ["Peskov", "dmitry peskov", "Kremlin", "spokesperson"])
def test_search_finds_people_by_name_other_names_or_role(client, yesterday, query):
    peskov = PersonFactory(
        name="Dmitry Peskov", slug="dmitry-peskov", aliases="Peskov", role="Kremlin spokesperson"
    )
    ArticleFactory(published_at=yesterday).people.add(peskov)

    assert search(client, query).context["results"].people == [peskov]


@pytest.mark.parametrize("how", ["one", "bulk"])
def test_deleting_an_article_with_quotes_deletes_its_search_document(yesterday, how):
    article = ArticleFactory(published_at=yesterday, body="“Peace now” he said.")
    QuoteFactory(article=article, text="Peace now")

    if how == "one":
        article.delete()
    else:
        type(article).objects.filter(pk=article.pk).delete()  # the admin's bulk action

    connection.check_constraints()  # deferred foreign keys, checked now rather than at commit
    assert not ArticleSearchDocument.objects.exists()


def test_update_search_documents_says_what_it_did_on_either_database(db, capsys):
    ArticleFactory.create_batch(3)

    call_command("update_search_documents")

    expected = {
        "postgresql": "Updated the search documents of 3 articles.",
        "sqlite": "This database has no full-text search (PostgreSQL only): nothing to do.",
    }[connection.vendor]
    assert capsys.readouterr().out.strip() == expected


def test_search_pages_ask_not_to_be_indexed(client, seed):
    page = parse_html(search(client, "putin").content)
    assert page.find("meta", name="robots").attrs["content"] == "noindex, follow"


def test_a_passage_is_looked_for_in_the_first_characters_of_a_body_however_long(client, now):
    filler = "Delegates met again. " * (PASSAGE_SOURCE_CHARS // 10)  # twice the bound
    within = ArticleFactory(
        published_at=now, body=filler[: PASSAGE_SOURCE_CHARS - 100] + " ceasefire " + filler
    )
    beyond = ArticleFactory(
        published_at=now - datetime.timedelta(hours=1),
        body=filler[: PASSAGE_SOURCE_CHARS + 100] + " ceasefire " + filler,
    )

    response = search(client, "ceasefire")
    assert result_slugs(response) == [within.slug, beyond.slug]  # both found
    page = parse_html(response.content)
    passages = [
        result.find("p", class_="passage") for result in page.find_all("article", class_="search-result")
    ]
    assert [mark.text for mark in passages[0].find_all("mark")] == ["ceasefire"]
    assert passages[1].find_all("mark") == []  # the match is past what is read: the opening words
    assert passages[1].text.lstrip().startswith("Delegates met again.")


def over_the_limits() -> list[tuple[str, str]]:
    words = " ".join(f"word{number}" for number in range(MAX_WORDS + 1))
    phrases = " or ".join(f'"peace {number}"' for number in range(MAX_PHRASES + 1))
    return [
        (words, f"Your search has {MAX_WORDS + 1} words, and a search can have {MAX_WORDS} at most."),
        (phrases, f"Your search has {MAX_PHRASES + 1} phrases in quotation marks"),
        ("-ceasefire -talks", "Your search only leaves words out"),
    ]


@pytest.mark.parametrize(("query", "message"), over_the_limits(), ids=["words", "phrases", "only-left-out"])
def test_a_query_over_the_limits_says_what_to_change_and_searches_nothing(client, yesterday, query, message):
    ArticleFactory(published_at=yesterday, headline="Peace talks", body="word1 ceasefire peace")

    with CaptureQueriesContext(connection) as queries:
        response = search(client, query)

    assert not [query["sql"] for query in queries if "articles_article" in query["sql"]]
    assert not [query["sql"] for query in queries if "articles_quote" in query["sql"]]
    page = parse_html(response.content)
    assert page.find("p", class_="search-problem").text.startswith(message)
    assert "search again" in page.find("p", class_="search-problem").text
    assert page.find("input", id="search-page-q").attrs["value"] == query  # to be edited
    assert page.find_all("ol", class_="search-results") == []


@pytest.mark.parametrize(
    "query",
    [
        " ".join(["ceasefire"] * MAX_WORDS),
        " or ".join(f'"peace {number}"' for number in range(MAX_PHRASES)),
        '"peace talks" -ceasefire',
        "ceasefire OR talks",  # "or" joins words; it is not one
    ],
)
def test_a_query_within_the_limits_is_searched(client, yesterday, query):
    ArticleFactory(published_at=yesterday, headline="Peace talks", body="The ceasefire holds: peace 1.")

    results = search(client, query).context["results"]
    assert results.problem == ""
    assert results.articles is not None


def test_who_said_it_looks_among_the_quotes_of_the_articles_shown(client, now):
    for hours in range(1, RESULTS_PER_PAGE + 1):
        ArticleFactory(published_at=now - datetime.timedelta(hours=hours), headline="Ceasefire update")
    # Newest, but the word is only in its body and quote: ranked below the headlines, on page 2.
    quoted = ArticleFactory(published_at=now, headline="Update", body="“Ceasefire now,” he said.")
    QuoteFactory(article=quoted, text="Ceasefire now")

    first = search(client, "ceasefire").context["results"]
    assert quoted not in first.articles.object_list
    assert first.quotes == []
    assert result_slugs(search(client, "ceasefire", page="2")) == [quoted.slug]
