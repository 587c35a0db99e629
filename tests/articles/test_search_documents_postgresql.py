"""Search documents stay current through every way content changes (PostgreSQL run only)."""

import pytest
import reversion
from reversion.models import Version

from articles import revisions
from articles.models import ArticleSearchDocument
from tests.articles.test_search import result_slugs, search
from tests.factories import ArticleFactory, QuoteFactory
from tests.html_tree import parse_html

pytestmark = pytest.mark.django_db


def test_restoring_a_revision_keeps_its_quotes_in_the_search_document(editor):
    article = ArticleFactory(headline="Harbour", dek="", body="She said “seagull” twice.")
    with reversion.create_revision():
        QuoteFactory(article=article, text="seagull", order=1)
        article.save()
    article.quotes.all().delete()

    revisions.restore(editor, article, Version.objects.get_for_object(article).first())

    assert "'seagul':2B" in ArticleSearchDocument.objects.get(article=article).document


@pytest.mark.parametrize("markup", ["<script>", "<style>", "<script>alert(1)</script>", "<b>"])
def test_words_after_text_that_looks_like_markup_are_still_searchable(client, yesterday, markup):
    # PostgreSQL's parser would read "<script>" as a tag and skip every word after it.
    article = ArticleFactory(
        published_at=yesterday, headline=f"Hackers hid {markup} in a page", dek="", body=f"A {markup} zebra."
    )
    document = ArticleSearchDocument.objects.get(article=article).document
    assert "'page'" in document and "'zebra'" in document
    response = search(client, "zebra")
    assert result_slugs(response) == [article.slug]
    # The passage marks the match (ts_headline would have dropped every word after "<script>").
    assert parse_html(response.content).find("mark").text == "zebra"
