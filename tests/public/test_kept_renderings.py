"""
Pieces of reader pages kept by what they are made of (newsroom.fragments, docs/performance.md):
built once and read back, and never stale — an edit to anything a piece is made of shows on the
next page.
"""

import json
import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import override_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from taggit.models import Tag

import articles.models
from articles.models import Article, ArticleNote, Author, Person, Quote, Section
from newsroom import fragments
from tests.factories import ArticleFactory, PersonFactory, QuoteFactory, SectionFactory
from tests.html_tree import parse_html
from tests.pagecache.test_invalidation_by_key import EDITS, Newsroom, as_served, difference, edit
from tests.public.pictures import make_image, media  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pieces_only")]

BODY = "Anna Petrova met the envoy.\n\nThey agreed that we will meet again in May, she said."


@pytest.fixture
def story(yesterday):
    speaker = PersonFactory(name="Anna Petrova", slug="petrova", aliases="Petrova")
    article = ArticleFactory(slug="story", body=BODY, published_at=yesterday)
    QuoteFactory(article=article, speaker=speaker, text="we will meet again", order=1)
    article.add_speakers_to_people()
    return article


@pytest.fixture
def renderings(monkeypatch):
    """Every body the renderer renders, in order."""
    rendered = []
    render_body = articles.models.render_body

    def counted(body, *args):
        rendered.append(body)
        return render_body(body, *args)

    monkeypatch.setattr(articles.models, "render_body", counted)
    return rendered


def article_body(client):
    response = client.get("/articles/story/")
    assert response.status_code == 200
    return parse_html(response.content).find("div", class_="article-body")


def read(slug="story") -> Article:
    """The article as its page reads it (public.views.article_detail)."""
    return Article.objects.reading().get(slug=slug)


def test_a_body_is_rendered_once_and_read_back_by_every_process(story, renderings):
    first = read().body_html()
    fragments.forget_local()  # as another process would, with the shared cache alone

    assert read().body_html() == first
    assert renderings == [BODY]


def test_two_articles_with_the_same_body_share_its_rendering(story, renderings, yesterday):
    twin = ArticleFactory(slug="twin", body="Nothing quoted here.", published_at=yesterday)
    other = ArticleFactory(slug="other", body=twin.body, published_at=yesterday)

    assert read("twin").body_html() == read("other").body_html()
    assert renderings == [twin.body]
    assert other.pk != twin.pk


def test_an_edited_body_shows_on_the_next_page(client, story):
    article_body(client)
    story.body = BODY.replace("the envoy", "the new envoy")
    story.save()

    assert "met the new envoy" in article_body(client).text


def test_an_edited_quote_is_marked_on_the_next_page(client, story):
    assert article_body(client).find("q").text.startswith("we will meet again")
    quote = story.quotes.get()
    quote.text = "meet again in May"
    quote.save()

    assert article_body(client).find("q").text.startswith("meet again in May")


def test_a_speakers_new_name_and_address_show_on_the_next_page(client, story):
    article_body(client)
    speaker = story.quotes.get().speaker
    speaker.name, speaker.slug = "Anna K. Petrova", "anna-petrova"
    speaker.save()

    quote = article_body(client).find("q")
    assert quote.find("a").attrs["href"] == "/people/anna-petrova/"
    assert "(Anna K. Petrova)" in quote.text


def test_a_new_alias_links_the_first_mention_on_the_next_page(client, story, yesterday):
    other = PersonFactory(name="Envoy Quill", slug="quill")
    story.people.add(other)
    assert not [link for link in article_body(client).find_all("a") if link.attrs["href"] == "/people/quill/"]
    other.aliases = "the envoy"
    other.save()

    (mention,) = [
        link for link in article_body(client).find_all("a") if link.attrs["href"] == "/people/quill/"
    ]
    assert mention.text == "the envoy"


def test_a_quote_moved_to_another_speaker_links_them_on_the_next_page(client, story):
    article_body(client)
    quote = story.quotes.get()
    quote.speaker = PersonFactory(name="Boris Ivanov", slug="ivanov")
    quote.save()

    assert article_body(client).find("q").find("a").attrs["href"] == "/people/ivanov/"


def test_a_pull_quote_follows_its_quote(client, story):
    story.body = BODY + "\n\n[[pullquote:1]]"
    story.save()
    assert article_body(client).find("figure", class_="pullquote").text.startswith("we will meet again")
    quote = story.quotes.get()
    quote.text = "in May"
    quote.save()

    assert article_body(client).find("figure", class_="pullquote").text.startswith("in May")


def test_an_inline_pictures_new_caption_shows_on_the_next_page(client, story, media):  # noqa: F811
    picture = make_image()
    story.body = BODY + f"\n\n[[image:{picture.pk}]]"
    story.save()
    assert article_body(client).find("figcaption").text.startswith("The valley at dawn.")
    picture.caption = "The valley at noon."
    picture.save()

    assert article_body(client).find("figcaption").text.startswith("The valley at noon.")


def test_a_kept_body_is_the_one_rendered_now(media, yesterday):  # noqa: F811
    # Whatever is kept, the page prints what rendering it afresh would: the body, quotes, people
    # and pictures of several articles, each read back from both memories.
    picture = make_image()
    section = SectionFactory()
    for number in range(3):
        article = ArticleFactory(
            section=section,
            published_at=yesterday,
            body=f"{BODY}\n\n[[image:{picture.pk}]]\n\nPart {number}.",
        )
        QuoteFactory(article=article, speaker=PersonFactory(), text=f"Part {number}", order=1)
        article.add_speakers_to_people()
    kept = {article.pk: article.body_html() for article in Article.objects.reading()}
    kept_here = {article.pk: article.body_html() for article in Article.objects.reading()}
    fragments.forget_local()
    kept_elsewhere = {article.pk: article.body_html() for article in Article.objects.reading()}
    cache.clear()
    fragments.forget_local()
    fresh = {article.pk: article.body_html() for article in Article.objects.reading()}

    assert kept == kept_here == kept_elsewhere == fresh
    assert all('<q class="quote" id="quote-1">' in html for html in fresh.values())
    assert all("figure-inline" in html for html in fresh.values())


# Cards: the same card on every list, kept by the rows it shows.

CARD_FLAGS = [{}, {"show_section": True}, {"lead": True, "show_section": True}, {"top": True}]


def kept_card(article, **flags) -> str:
    return Template(
        "{% load cards %}{% article_card article lead=lead top=top show_section=show_section %}"
    ).render(Context({"article": article, "lead": False, "top": False, "show_section": False, **flags}))


def fresh_card(article, **flags) -> str:
    return render_to_string("articles/includes/article_card.html", {"article": article, **flags})


def card_of(slug="card") -> Article:
    """The article as a list of cards reads it (Article.objects.cards())."""
    return Article.objects.cards().get(slug=slug)


@pytest.fixture
def carded(yesterday, reporter, media):  # noqa: F811
    article = ArticleFactory(
        slug="card",
        headline="Talks resume",
        dek="Both sides return.",
        section=SectionFactory(name="World", slug="world"),
        lead_image=make_image(),
        published_at=yesterday,
    )
    article.authors.add(reporter.author)
    return article


def change(row, **values) -> None:
    for name, value in values.items():
        setattr(row, name, value)
    row.save()


@pytest.mark.parametrize(
    "edit",
    [
        lambda article: change(article, headline="Talks collapse"),
        lambda article: change(article, dek="Neither side returns."),
        lambda article: change(article, slug="card-moved"),
        lambda article: change(article, byline="Agence France-Presse"),
        lambda article: change(article, published_at=article.published_at.replace(year=2020)),
        lambda article: change(article.section, name="Europe"),
        lambda article: change(article.section, slug="europe"),
        lambda article: change(article.lead_image, alt_text="A valley"),
        lambda article: change(article.lead_image, decorative=True),
        lambda article: change(article, lead_image=None),
        lambda article: Author.objects.update(display_name="Rita Reporter"),
        lambda article: article.authors.clear(),
    ],
    ids=[
        "headline", "standfirst", "slug", "credit", "date", "section name", "section address",
        "alt text", "decorative", "picture removed", "author's name", "authors removed",
    ],
)  # fmt: skip
def test_a_kept_card_is_the_card_rendered_now_after_each_edit(carded, edit):
    before = {index: kept_card(card_of(), **flags) for index, flags in enumerate(CARD_FLAGS)}
    edit(carded)
    article = card_of(Article.objects.get(pk=carded.pk).slug)

    after = {index: fresh_card(article, **flags) for index, flags in enumerate(CARD_FLAGS)}

    assert {index: kept_card(article, **flags) for index, flags in enumerate(CARD_FLAGS)} == after
    assert after != before  # on the cards that show what was edited (the section: on some)


def test_the_section_pages_cards_follow_an_edited_headline(client, carded):
    assert "Talks resume" in client.get("/sections/world/").content.decode()
    carded.headline = "Talks collapse"
    carded.save()

    page = parse_html(client.get("/sections/world/").content)
    assert [card.find("h3").text for card in page.find_all("article", class_="card")] == ["Talks collapse"]


def test_a_kept_quote_card_is_the_card_rendered_now_after_each_edit(story):
    def cards():
        quote = Quote.objects.cards().select_related("speaker").get()
        kept = Template("{% load cards %}{% quote_card quote show_speaker=True %}").render(
            Context({"quote": quote})
        )
        fresh = render_to_string("articles/includes/quote_card.html", {"quote": quote, "show_speaker": True})
        assert kept == fresh
        return fresh

    shown = [cards()]
    quote = story.quotes.get()
    quote.context, quote.text = "at the summit", "meet again"
    quote.save()
    shown.append(cards())
    story.headline = "A new headline"
    story.save()
    shown.append(cards())
    quote.speaker.role = "Envoy"
    quote.speaker.save()
    shown.append(cards())

    assert len(set(shown)) == 4
    assert "at the summit" in shown[-1] and "A new headline" in shown[-1] and "Envoy" in shown[-1]


def test_a_search_results_passage_and_card_follow_edits(client, carded):
    def result():
        response = client.get("/search/", {"q": "ceasefire"})
        (found,) = parse_html(response.content).find_all("article", class_="search-result")
        return found.find("p", class_="passage").text, found.find("h3").text

    change(carded, body="A ceasefire was agreed at noon.")
    passage, headline = result()
    assert "agreed at noon" in passage and headline == "Talks resume"
    change(carded, body="A ceasefire was agreed at dawn.", headline="Truce")

    passage, headline = result()
    assert "agreed at dawn" in passage and headline == "Truce"


def test_a_persons_structured_data_follows_edits_to_their_quotes_and_articles(client, story):
    def quotations():
        response = client.get("/people/petrova/")
        script = parse_html(response.content).find("script", type="application/ld+json")
        data = json.loads(script.text)
        return data["mainEntity"]["name"], [
            (part["text"], part["isPartOf"]["headline"]) for part in data["hasPart"]
        ]

    assert quotations() == ("Anna Petrova", [("we will meet again", story.headline)])
    quote = story.quotes.get()
    change(quote, text="meet again")
    change(story, headline="Talks to resume")
    change(quote.speaker, name="Anna K. Petrova")

    assert quotations() == ("Anna K. Petrova", [("meet again", "Talks to resume")])


# Whole pages: whatever the newsroom edits, a page made with the pieces kept before the edit is
# the page made with nothing kept.

READER_PAGES = re.compile(r"^/(?!api/|feeds/)(?!.*(rss|atom|\.xml)/?$)")


def made_afresh(client, url: str) -> tuple[int, bytes]:
    """
    The page made with nothing kept in this process and no part kept by keys (a body from the
    shared cache is its own test).
    """
    fragments.forget_local()
    with override_settings(KEPT_PARTS=()):
        return as_served(client, url)


@hypothesis_settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=EDITS)
def test_after_every_edit_each_page_made_with_kept_pieces_is_the_page_made_afresh(client, edits):
    fragments.forget_local()
    with transaction.atomic():
        world = Newsroom()
        pages = [url for url in world.pages() if READER_PAGES.match(url)]
        for url in pages:
            client.get(url)  # every piece kept
        for step, (action, n, m) in enumerate(edits):
            if not Article.objects.filter(pk=world.articles[n].pk).exists():
                continue
            edit(world, action, n, m)
            kept = {url: as_served(client, url) for url in pages}
            afresh = {url: made_afresh(client, url) for url in pages}
            for url in pages:
                assert kept[url] == afresh[url], (
                    f"{url} is stale after {edits[: step + 1]}:\n{difference(kept[url], afresh[url])}"
                )
        transaction.set_rollback(True)


def pictured(world) -> None:
    """Every story of ``world`` with a lead picture, and every person with a portrait."""
    for row in (*Article.objects.all(), *Person.objects.all()):
        setattr(row, "lead_image" if isinstance(row, Article) else "portrait", make_image())
        row.save()


def rename_tag(world) -> None:
    tag = Tag.objects.get(name=world.tags[1])
    tag.name = "A renamed topic"
    tag.save()


@pytest.mark.parametrize(
    "edit_one",
    [
        lambda world: change(Person.objects.get(slug="speaker-1"), role="Envoy", affiliation="The League"),
        lambda world: change(Person.objects.get(slug="speaker-1"), aliases="Number1"),
        lambda world: change(Person.objects.get(slug="speaker-1"), wikidata_id="Q42", bio="A new life."),
        rename_tag,
        lambda world: ArticleNote.objects.create(article=world.articles[1], text="A correction."),
        lambda world: change(Section.objects.get(slug="desk-1"), name="Politics", slug="politics"),
        lambda world: change(Article.objects.get(slug="story-1").lead_image, caption="At noon.", credit="AP"),
        lambda world: change(Article.objects.get(slug="story-1").lead_image, alt_text="A valley"),
        lambda world: change(Person.objects.get(slug="speaker-1").portrait, decorative=True),
        lambda world: change(Quote.objects.filter(article=world.articles[1]).get(), context="at the summit"),
        lambda world: change(Author.objects.get(slug="writer-1"), display_name="Rita Reporter"),
        lambda world: change(Article.objects.get(slug="story-1"), byline="Agence France-Presse"),
    ],
    ids=[
        "person's role", "person's alias", "person's wikidata and bio", "tag's name", "correction",
        "section's name and address", "picture's caption and credit", "picture's alt text",
        "decorative portrait", "quote's context", "author's name", "credit",
    ],
)  # fmt: skip
def test_after_each_edit_the_pages_made_with_kept_pieces_are_the_pages_made_afresh(client, media, edit_one):  # noqa: F811
    world = Newsroom()
    pictured(world)
    pages = [url for url in world.pages() if READER_PAGES.match(url)]
    for url in pages:
        client.get(url)  # every piece kept
    before = {url: as_served(client, url) for url in pages}

    edit_one(world)
    kept = {url: as_served(client, url) for url in pages}
    afresh = {url: made_afresh(client, url) for url in pages}

    for url in pages:
        assert kept[url] == afresh[url], f"{url} is stale:\n{difference(kept[url], afresh[url])}"
    assert kept != before  # the edit shows somewhere
