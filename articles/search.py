"""
Readers' search: published articles ranked by relevance, each with its matching passage
highlighted, and the people and quotes that match ("who said …?").

On PostgreSQL, articles are found through their ArticleSearchDocument, a stored tsvector of
the headline (weight A), the standfirst and the article's quotes (B) and the body (C), with a GIN
index. The receivers at the end of this module recompute it whenever an article or one of its
quotes is saved or deleted; ``manage.py update_search_documents`` recomputes every article's
(after a bulk ``update()`` or ``bulk_create()``, which send no signals). Queries go through
``websearch_to_tsquery``, which accepts anything a reader types without a syntax error.

On SQLite (a local run with no set-up) there is no full-text search: every word of the query
must occur, ignoring case, in the headline, standfirst or body, and articles with the words in
their headline rank first. For a plain one-word query both find the same articles.

What a search may cost is bounded, since anyone can type one. A query over MAX_WORDS words or
MAX_PHRASES quoted phrases, or one that only leaves words out (which would match the whole
archive), is not searched: the page says what to change. More than RANKED_MATCHES matches are
ranked among the newest of them, passages are highlighted in the first PASSAGE_SOURCE_CHARS
characters of a body, "who said it?" looks among the quotes of the page's articles, and on
PostgreSQL a search has SEARCH_STATEMENT_TIMEOUT_MS (a statement timeout): one that runs out of
it ends in a page saying it was too broad (503).
"""

import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.paginator import Page
from django.db import OperationalError, connections, transaction
from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, TextField, Value, When
from django.db.models.functions import Left, Replace
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.safestring import SafeString, mark_safe
from psycopg.errors import QueryCanceled

import bodytext
from articles.highlighting import MARK_END, MARK_START, PASSAGE_SOURCE_CHARS, flatten, marked_html, passage
from articles.models import Article, ArticleSearchDocument, Person, Quote
from newsroom.paging import BoundedPaginator

SEARCH_CONFIG = "english"
MAX_QUERY_LENGTH = 200
# Every word is looked up in every document that might match, and ranking weighs each pair of
# them: a dozen quoted phrases joined with "or" took seconds on the benchmark's archive. Words
# count inside quotation marks or not, looked for or left out with "-".
MAX_WORDS = 10
MAX_PHRASES = 3
RESULTS_PER_PAGE = 20
# Results are counted, and shown, up to this many pages (see newsroom.paging): counting every
# match of a common word would cost as much as the archive is big.
RESULT_PAGES = 50
# A query matching more articles than this is ranked among the newest this many of them. Ranking
# costs as much as the matches are many, times the pairs of words in the query (ts_rank() weighs
# how close each pair comes): five common words, matched by nearly every article of the
# benchmark's archive, took over a second to rank. More than RESULT_PAGES pages hold, so that
# the count still says "1000+".
RANKED_MATCHES = 2000
PEOPLE_SHOWN = 10
QUOTES_SHOWN = 10

_WORD = re.compile(r"\w+")
# Control characters (NUL among them: PostgreSQL text cannot hold it), surrogates and the
# private-use characters the highlighter uses as its own marks.
_UNSEARCHABLE_CATEGORIES = {"Cc", "Cs", "Co"}


def clean_query(raw: str) -> str:
    """The query as searched: unsearchable characters removed, whitespace collapsed, length capped."""
    text = "".join(" " if unicodedata.category(char) in _UNSEARCHABLE_CATEGORIES else char for char in raw)
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def query_words(query: str) -> list[str]:
    """The words of a query (letters and digits, any script), without one-letter words and repeats."""
    words = []
    for word in _WORD.findall(query):
        if len(word) > 1 and word.lower() not in (seen.lower() for seen in words):
            words.append(word)
    return words[:MAX_WORDS]


# A query as websearch_to_tsquery() reads it: "a phrase" (to the end of the query when its
# closing quotation mark is missing) or a word, either left out by a "-" just before it.
_TERM = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"]+))')


@dataclass(frozen=True)
class QueryTerms:
    words: int = 0  # every word, in quotation marks or not, looked for or left out
    phrases: int = 0  # quoted phrases of two words or more
    wanted: int = 0  # words and phrases looked for
    left_out: int = 0  # words and phrases left out with "-"


def query_terms(query: str) -> QueryTerms:
    """What a query asks for, counted as the search reads it ("or" joins terms; it is not one)."""
    words = phrases = wanted = left_out = 0
    for minus, phrase, word in (match.groups() for match in _TERM.finditer(query)):
        if phrase is None and not minus and word.lower() == "or":
            continue
        count = len(_WORD.findall(phrase if phrase is not None else word))
        if not count:
            continue  # punctuation only: the search ignores it
        words += count
        phrases += phrase is not None and count > 1
        if minus:
            left_out += 1
        else:
            wanted += 1
    return QueryTerms(words, phrases, wanted, left_out)


def query_problem(query: str) -> str:
    """Why the query is not searched as it is, in words that tell the reader what to change; "" if it is."""
    terms = query_terms(query)
    if terms.words > MAX_WORDS:
        return (
            f"Your search has {terms.words} words, and a search can have {MAX_WORDS} at most. "
            "Leave out the words that matter least and search again."
        )
    if terms.phrases > MAX_PHRASES:
        return (
            f"Your search has {terms.phrases} phrases in quotation marks, and a search can have "
            f"{MAX_PHRASES} at most. Keep the phrases that matter most and search again."
        )
    if terms.left_out and not terms.wanted:
        return (
            "Your search only leaves words out (a minus sign before a word leaves it out), so it "
            "would match almost everything. Add a word to look for and search again."
        )
    return ""


TOOK_TOO_LONG = (
    "This search matched too much of the archive to finish in time, so it was stopped. "
    "Make it narrower: fewer words joined with “or”, fewer phrases, or a rarer word. "
    "If the site is busy, the same search may work in a moment."
)


class SearchTookTooLong(Exception):
    """The search's queries used up SEARCH_STATEMENT_TIMEOUT_MS."""


@contextmanager
def time_limit(using: str) -> Iterator[Callable[[], None]]:
    """
    Gives a function to call before each of a search's queries, which raises SearchTookTooLong
    once the search has had SEARCH_STATEMENT_TIMEOUT_MS. On PostgreSQL the queries also run in a
    transaction with that statement timeout (SET LOCAL: it ends with the transaction and never
    reaches another query on the connection), and a query it stops raises SearchTookTooLong too.
    Only the first query (the ranking) can take long; the others read a page's worth of rows, so
    a search takes little more than the timeout at most. SQLite has no statement timeout: there
    the limits on the query bound the work.
    """
    connection = connections[using]
    timeout_ms = settings.SEARCH_STATEMENT_TIMEOUT_MS
    if connection.vendor != "postgresql" or timeout_ms <= 0:
        yield lambda: None
        return
    deadline = time.monotonic() + timeout_ms / 1000

    def before_query() -> None:
        if time.monotonic() >= deadline:
            raise SearchTookTooLong

    try:
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL statement_timeout = {timeout_ms:d}")  # SET takes no parameters
            yield before_query
            # A search writes nothing. Rolling back, rather than committing, also undoes SET LOCAL
            # when this block is a savepoint in a caller's transaction, which releasing would not.
            transaction.set_rollback(True, using=using)
    except OperationalError as error:
        if isinstance(error.__cause__, QueryCanceled):
            raise SearchTookTooLong from error
        raise


def uses_full_text(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


# PostgreSQL's text parser reads "<script>" or "<style>" (in a story about a hack, say) as
# markup: it skips every word after it, and ts_headline() drops it from the passage. Our text is
# never markup, so "<" goes to the parser as a private-use character, and comes back in passages.
LESS_THAN_STAND_IN = "\ue002"


def plain_text(expression):
    """Text with its "<" out of the way of PostgreSQL's parser (see LESS_THAN_STAND_IN)."""
    return Replace(expression, Value("<"), Value(LESS_THAN_STAND_IN), output_field=TextField())


def document_vector() -> SearchVector:
    """The expression an article's search document is computed from (PostgreSQL)."""
    quotes = (
        Quote.objects.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(text=StringAgg("text", delimiter="\n", order_by="order"))
        .values("text")
    )
    return (
        SearchVector(plain_text(F("headline")), weight="A", config=SEARCH_CONFIG)
        + SearchVector(plain_text(F("dek")), weight="B", config=SEARCH_CONFIG)
        + SearchVector(
            plain_text(Subquery(quotes, output_field=TextField())), weight="B", config=SEARCH_CONFIG
        )
        + SearchVector(plain_text(F("body_text")), weight="C", config=SEARCH_CONFIG)
    )


def update_search_documents(articles: QuerySet) -> int:
    """
    Recompute (or create) the stored search documents of these articles, with the copies of
    their status and publication time, in one statement.
    """
    fill_body_text(articles)
    if not uses_full_text(articles):
        return 0  # No full-text search here: nothing is stored.
    columns = ("document", "status", "published_at")
    select = articles.order_by().annotate(document=document_vector()).values_list("pk", *columns)
    select_sql, params = select.query.get_compiler(articles.db).as_sql()
    table = ArticleSearchDocument._meta.db_table
    updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in columns)
    with transaction.atomic(using=articles.db), connections[articles.db].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (article_id, {', '.join(columns)}) {select_sql} "
            f"ON CONFLICT (article_id) DO UPDATE SET {updates}",
            params,
        )
        return cursor.rowcount


def fill_body_text(articles: QuerySet, batch_size: int = 1000) -> int:
    """
    Write the plain text (what is indexed and quoted in results) of articles written in bulk
    without it: ``bulk_create()`` and ``update()`` run no save().
    """
    missing = articles.filter(body_text="").exclude(body="").order_by().only("pk", "body")
    batch, written = [], 0
    for article in missing.iterator(chunk_size=batch_size):
        article.body_text = bodytext.plain_text(article.body)
        batch.append(article)
        if len(batch) == batch_size:
            written += Article.objects.using(articles.db).bulk_update(batch, ["body_text"])
            batch = []
    if batch:
        written += Article.objects.using(articles.db).bulk_update(batch, ["body_text"])
    return written


def _contains_every_word(words: list[str], *fields: str) -> Q:
    condition = Q()
    for word in words:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return condition


def _search_query(query: str) -> SearchQuery:
    return SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)


def _words_rank(words: list[str]):
    """SQLite's relevance: 4 points for each word in the headline, 2 in the standfirst, 1 in the body."""
    rank = Value(0)
    for word in words:
        for name, weight in (("headline", 4), ("dek", 2), ("body_text", 1)):
            rank = rank + Case(When(Q(**{f"{name}__icontains": word}), then=Value(weight)), default=Value(0))
    return rank


def ranked_article_ids(query: str) -> QuerySet:
    """
    The ids of the published articles matching the query, most relevant first, then newest.

    On PostgreSQL this reads the search documents alone, with their copies of the articles'
    publication: ranking a word found in ten thousand articles reads ten thousand documents,
    not ten thousand articles joined to them. A page of results is then a read by primary key.
    When more than RANKED_MATCHES articles match, the newest RANKED_MATCHES of them are ranked.
    """
    if uses_full_text(Article.objects.all()):
        search_query = _search_query(query)
        newest = (
            ArticleSearchDocument.objects.published()
            .filter(document=search_query)
            .order_by("-published_at", "-article_id")
            .values("pk")[:RANKED_MATCHES]
        )
        return (
            ArticleSearchDocument.objects.filter(pk__in=newest)
            .annotate(rank=SearchRank(F("document"), search_query))
            .order_by("-rank", "-published_at", "article_id")
            .values_list("article_id", flat=True)
        )
    words = query_words(query)
    if not words:
        return Article.objects.none().values_list("pk", flat=True)
    return (
        Article.objects.published()
        .filter(_contains_every_word(words, "headline", "dek", "body_text"))
        .annotate(rank=_words_rank(words))
        .order_by("-rank", "-published_at", "pk")
        .values_list("pk", flat=True)
    )


def find_articles(query: str, ids: Iterable[int] | None = None) -> QuerySet:
    """
    Published articles matching the query, most relevant first: all of them, or those of
    ``ids`` (a page of ranked_article_ids()). On PostgreSQL each comes with the ``passage``
    that matches, made by the database for these articles only; SQLite's is made in Python.
    """
    # A result is a card: its section, picture and byline come with it.
    articles = Article.objects.published().select_related("section", "lead_image").prefetch_related("authors")
    if ids is not None:
        articles = articles.filter(pk__in=ids)
    if uses_full_text(articles):
        search_query = _search_query(query)
        return (
            articles.filter(search_document__document=search_query)
            .annotate(
                rank=SearchRank(F("search_document__document"), search_query),
                passage=SearchHeadline(
                    plain_text(Left(F("body_text"), PASSAGE_SOURCE_CHARS)),
                    search_query,
                    config=SEARCH_CONFIG,
                    start_sel=MARK_START,
                    stop_sel=MARK_END,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .defer("body", "body_text")  # the passage is all of it a result shows
            .order_by("-rank", "-published_at", "pk")
        )
    words = query_words(query)
    if not words:
        return articles.none()
    return (
        articles.filter(_contains_every_word(words, "headline", "dek", "body_text"))
        .annotate(rank=_words_rank(words))
        .order_by("-rank", "-published_at", "pk")
    )


def find_people(query: str) -> QuerySet:
    """People in published articles whose name, other names, role or affiliation has every word."""
    words = query_words(query)
    if not words:
        return Person.objects.none()
    return Person.objects.public().filter(
        _contains_every_word(words, "name", "aliases", "role", "affiliation")
    )


def find_quotes(query: str, article_ids: Iterable[int] | None = None) -> QuerySet:
    """
    Quotes from published articles whose words match the query: who said it? All of them, or
    those of the articles ``article_ids`` (a page of results: see run_search()).
    """
    quotes = Quote.objects.published().select_related("speaker", "article")
    if article_ids is not None:
        quotes = quotes.filter(article_id__in=article_ids)
    if uses_full_text(quotes):
        search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        # The same expression as the GIN index on quote text (migration 0004), so it is used.
        vector = SearchVector("text", config=SEARCH_CONFIG)
        return (
            quotes.annotate(document=vector)
            .filter(document=search_query)
            .annotate(rank=SearchRank(vector, search_query))
            .order_by("-rank", "-article__published_at", "order")
        )
    words = query_words(query)
    if not words:
        return quotes.none()
    return quotes.filter(_contains_every_word(words, "text")).order_by("-article__published_at", "order")


def passage_html(article: Article, query: str) -> SafeString:
    """The article's passage that matches the query, as HTML with the matches in <mark>."""
    text = getattr(article, "passage", None)
    if text is not None:
        text = text.replace(LESS_THAN_STAND_IN, "<")
    else:
        text = passage(article.body_text or article.dek, query_words(query))
    # marked_html escapes every character; its only markup is <mark>.
    return mark_safe(marked_html(flatten(text)))


@dataclass
class SearchResults:
    query: str
    articles: Page | None = None
    people: list[Person] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    # Why there are no results, when the query was not searched or the search was stopped.
    problem: str = ""
    took_too_long: bool = False

    @property
    def found_anything(self) -> bool:
        return bool((self.articles and self.articles.object_list) or self.people or self.quotes)


def run_search(raw_query: str, page_number: str | None = None) -> SearchResults:
    """
    Everything a reader's query finds: a page of articles; people and quotes with the first page.
    A query with a problem (query_problem()) runs no query; one that runs out of time comes back
    with ``took_too_long``.
    """
    query = clean_query(raw_query)
    if not query:
        return SearchResults(query)
    if problem := query_problem(query):
        return SearchResults(query, problem=problem)
    try:
        with time_limit(Article.objects.db) as before_query:
            return _search(query, page_number, before_query)
    except SearchTookTooLong:
        return SearchResults(query, problem=TOOK_TOO_LONG, took_too_long=True)


def _search(query: str, page_number: str | None, before_query: Callable[[], None]) -> SearchResults:
    # "1000+ articles": the ids of RESULT_PAGES pages, and one more, in one query whichever page is
    # shown (the matches are read once, to be counted and ranked). The articles themselves are
    # then fetched for the page shown.
    ids = list(ranked_article_ids(query)[: RESULT_PAGES * RESULTS_PER_PAGE + 1])
    paginator = BoundedPaginator(ids, RESULTS_PER_PAGE, lookahead=RESULT_PAGES - 1, max_pages=RESULT_PAGES)
    articles = paginator.get_page(page_number)
    before_query()
    articles.object_list = list(find_articles(query, ids=articles.object_list))
    for article in articles.object_list:
        article.passage_html = passage_html(article, query)
    results = SearchResults(query, articles)
    if articles.number == 1:
        before_query()
        results.people = list(find_people(query)[:PEOPLE_SHOWN])
        # Among the quotes of the articles shown: a quote's words are in its article's search
        # document, so the best articles hold the best quotes, and ranking every quote that has a
        # common word (tens of thousands, each parsed again) took a second on the benchmark.
        if article_ids := [article.pk for article in articles.object_list]:
            before_query()
            results.quotes = list(find_quotes(query, article_ids)[:QUOTES_SHOWN])
    return results


@receiver(post_save, sender=Article, dispatch_uid="articles.search.article_saved")
def _article_saved(sender, instance, using, **kwargs):
    # Also on raw saves (fixtures, restored revisions): the stored document is derived data.
    update_search_documents(Article.objects.using(using).filter(pk=instance.pk))


@receiver(post_save, sender=Quote, dispatch_uid="articles.search.quote_saved")
@receiver(post_delete, sender=Quote, dispatch_uid="articles.search.quote_deleted")
def _quote_changed(sender, instance, using, origin=None, **kwargs):
    # Quotes deleted along with their article: the article's document goes too (cascade);
    # writing it again would point at an article that is about to be gone.
    deleting_articles = isinstance(origin, Article) or (
        isinstance(origin, QuerySet) and issubclass(origin.model, Article)
    )
    if not deleting_articles:
        update_search_documents(Article.objects.using(using).filter(pk=instance.article_id))
