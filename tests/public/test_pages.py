"""The public pages as readers and search engines get them: content, links, visibility, cost."""

import datetime
import json

import pytest
from django.utils.text import slugify
from taggit.models import Tag

from articles.models import Article, Person, Quote, TaggedArticle
from tests.conftest import SEED_SLUG
from tests.factories import ArticleFactory, PersonFactory, QuoteFactory, SectionFactory
from tests.html_tree import parse_html
from tests.public.test_page_costs import MAX_QUERIES

SEED_URL = f"/articles/{SEED_SLUG}/"

PUBLIC_PAGES = [
    "/",
    SEED_URL,
    "/sections/world/",
    "/tags/ukraine/",
    "/people/",
    "/people/vladimir-putin/",
]


def get_page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return parse_html(response.content)


def links(element, **filters):
    return [link.attrs["href"] for link in element.find_all("a", **filters)]


def card_links(tree):
    """The article cards' headline links on a list page, in order."""
    return [link for card in tree.find_all("h3", class_="card-headline") for link in links(card)]


# Every page


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_has_one_title_description_canonical_link_h1_and_no_cookie(client, seed, url):
    response = client.get(url)
    tree = parse_html(response.content)

    assert response.status_code == 200
    assert tree.find("title").text.strip()
    assert tree.find("meta", name="description").attrs["content"].strip()
    assert tree.find("link", rel="canonical").attrs["href"] == f"http://testserver{url}"
    assert len(tree.find_all("h1")) == 1
    # Anonymous readers get no cookie, so a cache or CDN can share the page.
    assert not response.cookies


# The article page


@pytest.fixture
def article_page(client, seed):
    return get_page(client, SEED_URL)


def test_the_article_page_shows_headline_dek_byline_date_and_section(article_page, seed):
    header = article_page.find("header", class_="article-header")

    assert article_page.find("title").text == f"{seed.headline} | Newsroom"
    assert article_page.find("meta", name="description").attrs["content"] == seed.dek
    assert header.find("h1", class_="headline").text == seed.headline
    assert header.find("p", class_="dek").text == seed.dek
    assert "Newsroom staff and agencies" in header.find(class_="byline-name").text
    published = header.find("time")
    assert published.attrs["datetime"] == "2025-05-19T20:00:00+00:00"
    assert published.text == "19 May 2025, 20:00 UTC"
    kicker = header.find("p", class_="kicker").find("a")
    assert (kicker.attrs["href"], kicker.text) == ("/sections/world/", "World")


def test_the_article_page_shows_the_subheads_as_h2(article_page, seed):
    body = article_page.find("div", class_="article-body")

    assert [h2.text for h2 in body.find_all("h2")] == seed.subheads
    assert len(seed.subheads) == 3


def test_every_quote_is_marked_in_place_and_linked_to_its_speaker(article_page, seed):
    body = article_page.find("div", class_="article-body")
    quotes = list(seed.quotes.select_related("speaker"))

    assert len(body.find_all("q", class_="quote")) == len(quotes) == 17
    for quote in quotes:
        mark = body.find("q", id=f"quote-{quote.order}")
        assert mark.visible_text == quote.text
        assert links(mark) == [quote.speaker.get_absolute_url()]
        assert mark.parent.tag == "p"


def test_the_first_mention_of_each_person_is_linked_once(article_page, seed):
    body = article_page.find("div", class_="article-body")
    mentions = {link.attrs["href"]: link.text for link in body.find_all("a", class_="mention")}

    assert len(body.find_all("a", class_="mention")) == len(mentions)
    assert set(mentions) == {person.get_absolute_url() for person in seed.people.all()}
    assert mentions["/people/vladimir-putin/"] == "Vladimir Putin"
    # "Joe Biden" first appears inside Vance's quote, so the later "Biden" is linked.
    assert mentions["/people/joe-biden/"] == "Biden"
    for mention in body.find_all("a", class_="mention"):
        assert not [node for node in mention.ancestors if node.tag == "q"]


def test_a_show_title_and_an_institutions_word_are_not_marked_as_quotes(article_page):
    marked = [mark.visible_text for mark in article_page.find_all("q")]

    assert not [text for text in marked if "Meet the Press" in text]
    assert "frustrated" not in marked


def test_the_article_links_its_tags_to_their_pages(article_page, seed):
    tag_links = article_page.find("ul", class_="tag-list").find_all("a")

    assert {link.attrs["href"]: link.text for link in tag_links} == {
        f"/tags/{tag.slug}/": tag.name for tag in seed.tags.all()
    }
    assert {link.attrs["rel"] for link in tag_links} == {"tag"}


def test_people_in_this_story_lists_everyone_named_with_their_role(article_page, seed):
    people = article_page.find("section", class_="people-in-story")

    assert people.find("h2").text == "People in this story"
    assert set(links(people)) == {person.get_absolute_url() for person in seed.people.all()}
    assert "Dmitry Peskov, Kremlin spokesperson" in people.text


# Person, section, tag and people pages


@pytest.mark.parametrize(
    "slug, quote_numbers",
    [
        ("vladimir-putin", [1]),
        ("jd-vance", [5, 9, 10, 11]),
        ("volodymyr-zelenskyy", [14, 15, 16, 17]),
        ("joe-biden", []),
    ],
)
def test_a_person_page_lists_their_quotes_linking_into_the_article(client, seed, slug, quote_numbers):
    tree = get_page(client, f"/people/{slug}/")

    assert links(tree, class_="quote-source") == [f"{SEED_URL}#quote-{n}" for n in quote_numbers]
    quoted = [card.find("blockquote").text for card in tree.find_all("figure", class_="quote-card")]
    texts = dict(seed.quotes.values_list("order", "text"))
    assert quoted == [f"“{texts[n]}”" for n in quote_numbers]


def test_a_person_page_shows_the_role_and_the_articles_mentioning_them(client, seed):
    tree = get_page(client, "/people/dmitry-peskov/")

    assert tree.find("h1").text == "Dmitry Peskov"
    assert tree.find("p", class_="person-role").text == "Kremlin spokesperson, Russia"
    assert card_links(tree) == [SEED_URL]


def test_every_quote_link_on_the_person_pages_lands_on_a_marked_quote(client, seed):
    article_ids = {mark.attrs["id"] for mark in get_page(client, SEED_URL).find_all("q")}

    targets = []
    for person in seed.people.all():
        targets += links(get_page(client, person.get_absolute_url()), class_="quote-source")

    assert sorted(targets) == sorted(f"{SEED_URL}#{anchor}" for anchor in article_ids)
    assert len(targets) == 17


@pytest.mark.parametrize("url", ["/", "/sections/world/"])
def test_front_and_section_pages_list_the_article(client, seed, url):
    assert card_links(get_page(client, url)) == [SEED_URL]


def test_every_tag_page_of_the_article_lists_it(client, seed):
    for tag in seed.tags.all():
        tree = get_page(client, f"/tags/{tag.slug}/")
        assert tree.find("h1").text == tag.name
        assert card_links(tree) == [SEED_URL]


def test_the_people_page_links_everyone_by_name_with_their_quote_count(client, seed):
    tree = get_page(client, "/people/")
    rows = {links(row)[0]: row.text for row in tree.find("ul", class_="person-index").find_all("li")}

    assert list(rows) == [person.get_absolute_url() for person in seed.people.order_by("name")]
    assert "4 quotes" in rows["/people/jd-vance/"]
    assert "1 quote" in rows["/people/vladimir-putin/"]
    assert "quote" not in rows["/people/joe-biden/"]


# What readers must not see


@pytest.fixture
def around_hidden(hidden_article, yesterday):
    """A hidden article and a published one sharing a section, a tag and a person."""
    published = ArticleFactory(section=hidden_article.section, published_at=yesterday)
    shared, only_hidden = PersonFactory(), PersonFactory()
    for article in (published, hidden_article):
        article.people.add(shared)
        article.tags.add("Shared topic")
        QuoteFactory(article=article, speaker=shared, text="The first paragraph.", order=1)
    hidden_article.people.add(only_hidden)
    QuoteFactory(article=hidden_article, speaker=only_hidden, text="The second paragraph.", order=2)
    hidden_article.tags.add("Secret topic")
    return {"hidden": hidden_article, "published": published, "shared": shared, "only_hidden": only_hidden}


def test_a_hidden_article_is_not_found(client, around_hidden):
    response = client.get(around_hidden["hidden"].get_absolute_url())

    assert response.status_code == 404
    assert around_hidden["hidden"].headline not in response.content.decode()


@pytest.mark.parametrize("page", ["front", "section", "tag", "person"])
def test_a_hidden_article_is_not_listed(client, around_hidden, page):
    hidden, published = around_hidden["hidden"], around_hidden["published"]
    url = {
        "front": "/",
        "section": hidden.section.get_absolute_url(),
        "tag": "/tags/shared-topic/",
        "person": around_hidden["shared"].get_absolute_url(),
    }[page]

    tree = get_page(client, url)

    assert card_links(tree) == [published.get_absolute_url()]
    assert hidden.headline not in tree.text


def test_a_hidden_articles_quotes_are_not_on_the_speakers_page(client, around_hidden):
    tree = get_page(client, around_hidden["shared"].get_absolute_url())

    assert links(tree, class_="quote-source") == [f"{around_hidden['published'].get_absolute_url()}#quote-1"]


def test_a_tag_only_hidden_articles_carry_is_not_found(client, around_hidden):
    assert client.get("/tags/secret-topic/").status_code == 404


def test_a_person_only_in_hidden_articles_is_not_found_or_listed(client, around_hidden):
    only_hidden, shared = around_hidden["only_hidden"], around_hidden["shared"]

    assert client.get(only_hidden.get_absolute_url()).status_code == 404
    people = get_page(client, "/people/").find("ul", class_="person-index")
    assert links(people) == [shared.get_absolute_url()]
    assert "1 quote" in people.text and "2 quotes" not in people.text


@pytest.mark.parametrize("appears", ["quoted", "named", "quoted in a hidden article", "nowhere"])
def test_a_person_has_a_page_exactly_when_they_are_public(client, around_hidden, appears):
    person, published, hidden = PersonFactory(), around_hidden["published"], around_hidden["hidden"]
    if appears == "quoted":
        QuoteFactory(article=published, speaker=person, text="The first paragraph.", order=3)
    elif appears == "named":
        published.people.add(person)
    elif appears == "quoted in a hidden article":
        QuoteFactory(article=hidden, speaker=person, text="The first paragraph.", order=3)

    public = person in Person.objects.public()

    assert public is (appears in ("quoted", "named"))
    assert client.get(person.get_absolute_url()).status_code == (200 if public else 404)


def test_an_author_only_of_hidden_articles_has_no_page_and_is_not_listed(client, around_hidden, reporter):
    author_url = reporter.author.get_absolute_url()
    around_hidden["hidden"].authors.add(reporter.author)

    assert client.get(author_url).status_code == 404
    assert author_url not in client.get("/sitemap.xml").content.decode()
    for url in ("/", around_hidden["hidden"].section.get_absolute_url(), "/tags/shared-topic/"):
        assert author_url not in client.get(url).content.decode(), url


def test_an_author_without_any_article_has_no_page(client, reporter):
    assert client.get(reporter.author.get_absolute_url()).status_code == 404


def test_an_author_page_opens_with_their_first_published_article(client, around_hidden, reporter):
    around_hidden["hidden"].authors.add(reporter.author)
    around_hidden["published"].authors.add(reporter.author)

    tree = get_page(client, reporter.author.get_absolute_url())

    assert card_links(tree) == [around_hidden["published"].get_absolute_url()]


def json_ld_authors(tree) -> list[dict]:
    [script] = tree.find_all("script", type="application/ld+json")
    return json.loads(script.text)["author"]


def test_a_preview_names_an_author_without_a_page_but_links_them_nowhere(client, reporter, editor):
    draft = ArticleFactory(status="draft", published_at=None, byline="")
    draft.authors.add(reporter.author, editor.author)
    ArticleFactory(published_at=datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC)).authors.add(editor.author)
    client.force_login(editor)

    tree = get_page(client, draft.get_absolute_url())

    byline = tree.find(class_="byline-name")
    assert byline.text.split() == ["By", "Edna", "and", "Rita"]
    assert links(byline) == [editor.author.get_absolute_url()]
    assert json_ld_authors(tree) == [
        {"@type": "Person", "name": "Edna", "url": f"http://testserver{editor.author.get_absolute_url()}"},
        {"@type": "Person", "name": "Rita"},
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/articles/no-such-article/",
        "/sections/no-such-section/",
        "/tags/no-such-tag/",
        "/tags/orphan-tag/",
        "/people/no-such-person/",
        "/articles/%E2%9C%93/",
        "/people/%E2%9C%93/",
        "/tags/%E2%9C%93/",
        "/sections/%E2%9C%93/",
        "/articles/%00/",
        "/articles/a%2Fb/",
        "/articles/" + "x" * 500 + "/",
        "/articles/HEADLINE-PUBLISHED/",
    ],
)
def test_unknown_addresses_are_not_found_without_setting_a_cookie(client, db, yesterday, url):
    ArticleFactory(slug="headline-published", published_at=yesterday)
    Tag.objects.create(name="Orphan tag", slug="orphan-tag")

    response = client.get(url)

    assert response.status_code == 404
    assert parse_html(response.content).find("title").text.startswith("Page not found")
    assert not response.cookies


# What pages cost. These fixtures build volume, so they insert in bulk: one INSERT per table.


@pytest.fixture
def big_article(db, yesterday):
    """An article with 100 quotes by 20 people and 50 tags; every quote is in the body."""
    people = Person.objects.bulk_create(PersonFactory.build_batch(20))
    texts = [f"we will talk again on day {n:03d}" for n in range(100)]
    paragraphs = [f"{people[n % 20].name} said '{text}' to reporters." for n, text in enumerate(texts)]
    article = ArticleFactory(body="## Quotes\n\n" + "\n\n".join(paragraphs), published_at=yesterday)
    article.people.add(*people)
    article.tags.add(*(f"Topic {n}" for n in range(50)))
    Quote.objects.bulk_create(
        QuoteFactory.build(article=article, speaker=people[n % 20], text=text, order=n + 1)
        for n, text in enumerate(texts)
    )
    return article


def test_the_article_page_query_count_does_not_grow_with_quotes_tags_and_people(
    client, big_article, django_assert_max_num_queries
):
    with django_assert_max_num_queries(MAX_QUERIES):
        tree = get_page(client, big_article.get_absolute_url())

    assert len(tree.find_all("q", class_="quote")) == 100
    assert len(tree.find("ul", class_="tag-list").find_all("a")) == 50
    assert len(tree.find_all("a", class_="mention")) == 20


@pytest.fixture
def busy_newsroom(db, yesterday):
    """25 published articles in 5 sections, all tagged, each naming three of 40 people and quoting two."""
    sections = SectionFactory.create_batch(5)
    people = Person.objects.bulk_create(PersonFactory.build_batch(40))
    star = people[0]
    articles = Article.objects.bulk_create(
        ArticleFactory.build(section=sections[n % 5], published_at=yesterday - datetime.timedelta(hours=n))
        for n in range(25)
    )
    topics = ["Diplomacy", "Topic 0", "Topic 1", "Topic 2"]
    diplomacy, *topics = Tag.objects.bulk_create(Tag(name=name, slug=slugify(name)) for name in topics)
    mentions, tagged, quotes = [], [], []
    for n, article in enumerate(articles):
        speakers = [star, people[1 + n], people[1 + (n + 25) % 39]]
        mentions += [Article.people.through(article=article, person=person) for person in speakers]
        tagged += [TaggedArticle(content_object=article, tag=tag) for tag in (diplomacy, topics[n % 3])]
        quotes += [
            QuoteFactory.build(article=article, speaker=speakers[0], text="The first paragraph.", order=1),
            QuoteFactory.build(article=article, speaker=speakers[1], text="The second paragraph.", order=2),
        ]
    Article.people.through.objects.bulk_create(mentions)
    TaggedArticle.objects.bulk_create(tagged)
    Quote.objects.bulk_create(quotes)
    return {"sections": sections, "people": people, "star": star}


@pytest.mark.parametrize(
    "page, listed",
    # The person page shows the first page of its quotes and the first page of its articles.
    [("front", 25), ("section", 5), ("tag", 20), ("people", 40), ("person", 20 + 20)],
)
def test_list_pages_query_count_does_not_grow_with_rows(
    client, busy_newsroom, page, listed, django_assert_max_num_queries
):
    url = {
        "front": "/",
        "section": busy_newsroom["sections"][0].get_absolute_url(),
        "tag": "/tags/diplomacy/",
        "people": "/people/",
        "person": busy_newsroom["star"].get_absolute_url(),
    }[page]

    with django_assert_max_num_queries(MAX_QUERIES):
        tree = get_page(client, url)

    rows = card_links(tree) + links(tree, class_="quote-source")
    rows += [item for index in tree.find_all("ul", class_="person-index") for item in index.find_all("li")]
    assert len(rows) == listed


@pytest.mark.parametrize(
    ("url", "current"),
    [
        ("/sections/world/", "/sections/world/"),
        ("/people/", "/people/"),
        ("/quotes/", "/quotes/"),
        (SEED_URL, None),
    ],
)
def test_the_masthead_marks_the_page_the_reader_is_on(client, seed, url, current):
    nav = get_page(client, url).find("nav", class_="site-nav")

    assert links(nav, **{"aria-current": "page"}) == ([current] if current else [])
