"""The Markdown body on the models: quotes verified against its text, pictures, pull quotes, search."""

import pytest
from django.core.exceptions import ValidationError

from articles import workflow
from articles.models import Article, Quote
from tests.factories import ArticleFactory, PersonFactory, QuoteFactory
from tests.html_tree import parse_html
from tests.images.pictures import library_image

pytestmark = pytest.mark.django_db

BODY = (
    "## What was said\n\n"
    "She said the **4.2 million** figure was [on the board's website](https://example.org/board).\n\n"
    "[[pullquote:1]]\n\n"
    "- A *first* point\n- A second point"
)


def test_a_quote_with_bold_and_linked_words_is_verified_against_the_text_readers_read():
    article = ArticleFactory(body=BODY)
    speaker = PersonFactory()

    Quote(
        article=article, speaker=speaker, text="the 4.2 million figure was on the board's website"
    ).full_clean()
    with pytest.raises(ValidationError, match="Not found word for word"):
        Quote(article=article, speaker=speaker, text="the **4.2 million** figure").full_clean()


def test_the_plain_text_is_written_with_the_body_and_summary_and_subheads_read_it():
    article = ArticleFactory(body=BODY, dek="")

    assert Article.objects.get(pk=article.pk).body_text.startswith(
        "What was said\n\nShe said the 4.2 million figure was on the board's website."
    )
    assert article.summary == "She said the 4.2 million figure was on the board's website."
    assert article.subheads == ["What was said"]

    article.body = "Changed *words*."
    article.save(update_fields=["body"])
    assert Article.objects.get(pk=article.pk).body_text == "Changed words."


def test_the_body_html_shows_pictures_in_one_query_and_pull_quotes_from_the_prefetched_quotes(
    django_assert_num_queries,
):
    shown, other = library_image(alt_text="The board meeting"), library_image(alt_text="Another")
    article = ArticleFactory(body=f"Before.\n\n[[image:{shown.pk}]]\n\n[[image:999999]]\n\n{BODY}")
    QuoteFactory(article=article, text="the 4.2 million figure", order=1)
    article = Article.objects.prefetch_related("quotes__speaker", "people").get(pk=article.pk)

    with django_assert_num_queries(1):
        html = article.body_html()

    tree = parse_html(html)
    (figure,) = tree.find_all("figure", class_="figure-inline")
    assert figure.find("img").attrs["alt"] == "The board meeting"
    assert other.pk != shown.pk and len(tree.find_all("img")) == 1
    pull = tree.find("figure", class_="pullquote")
    assert pull.find("blockquote").text == "the 4.2 million figure"
    assert tree.find("q", id="quote-1").find("strong").text == "4.2 million"


def test_a_body_without_pictures_renders_without_a_query(django_assert_num_queries):
    article = Article.objects.prefetch_related("quotes__speaker", "people").get(
        pk=ArticleFactory(body=BODY).pk
    )
    with django_assert_num_queries(0):
        article.body_html()


def test_publication_needs_described_pictures_known_pull_quotes_and_safe_links():
    undescribed = library_image(alt_text="")
    article = ArticleFactory(
        status="draft",
        published_at=None,
        body=f"[[image:{undescribed.pk}]]\n\n[[image:999999]]\n\n[[pullquote:4]]\n\n[x](javascript:alert(1))",
    )

    problems = " ".join(workflow.publication_problems(article))

    assert f"Describe image {undescribed.pk}" in problems
    assert "image 999999, which is not in the image library" in problems
    assert "no quote 4" in problems
    assert "javascript:" in problems


def test_a_decorative_picture_needs_no_alt_text():
    decorative = library_image(alt_text="", decorative=True)
    article = ArticleFactory(status="draft", published_at=None, body=f"[[image:{decorative.pk}]]")
    assert not workflow.body_problems(article)


def test_search_indexes_the_words_readers_read_not_the_markup(client, yesterday):
    ArticleFactory(
        published_at=yesterday,
        body="The **ceasefire** was [announced](https://zzqexample.org/ceasefire) on *Monday*.",
    )

    found = parse_html(client.get("/search/", {"q": "ceasefire"}).content)
    not_found = parse_html(client.get("/search/", {"q": "zzqexample"}).content)

    passage = found.find("p", class_="passage")
    assert "ceasefire" in passage.text and "**" not in passage.text and "](" not in passage.text
    assert not not_found.find_all("p", class_="passage")
