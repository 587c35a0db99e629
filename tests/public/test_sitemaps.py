"""Sitemaps for search engines, Google News's sitemap, and robots.txt pointing to them."""

import datetime
import xml.etree.ElementTree as ElementTree

import pytest

from tests.factories import ArticleFactory, PersonFactory, SectionFactory

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"

pytestmark = pytest.mark.django_db


def locations(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    urlset = ElementTree.fromstring(response.content)
    return [url.find(f"{SITEMAP}loc").text.removeprefix("http://testserver") for url in urlset]


def test_the_sitemap_lists_public_articles_sections_tags_and_people(client, yesterday, hidden_article):
    world = SectionFactory(name="World", slug="world")
    SectionFactory(name="Empty", slug="empty")
    public = ArticleFactory(section=world, published_at=yesterday, slug="public-story")
    public.tags.add("Diplomacy")
    public.people.add(PersonFactory(slug="dmitry-peskov"))
    hidden_article.tags.add("Secret")
    hidden_article.people.add(PersonFactory(slug="unknown"))

    listed = locations(client.get("/sitemap.xml"))

    assert set(listed) == {
        "/",
        "/people/",
        "/quotes/",
        "/articles/public-story/",
        "/sections/world/",
        "/tags/diplomacy/",
        "/people/dmitry-peskov/",
    }


def test_sitemap_entries_carry_when_they_last_changed(client, yesterday):
    ArticleFactory(published_at=yesterday, slug="story")
    urlset = ElementTree.fromstring(client.get("/sitemap.xml").content)
    lastmod = {url.find(f"{SITEMAP}loc").text: url.findtext(f"{SITEMAP}lastmod") for url in urlset}
    assert lastmod["http://testserver/articles/story/"] == yesterday.date().isoformat()


def test_a_revision_of_a_published_article_is_its_sitemap_entrys_last_change(client, now):
    published = now - datetime.timedelta(days=3)
    article = ArticleFactory(published_at=published, slug="story")
    ArticleFactory(published_at=published, slug="untouched")
    article.dek = "A standfirst put right."
    article.save()

    urlset = ElementTree.fromstring(client.get("/sitemap.xml").content)

    lastmod = {url.find(f"{SITEMAP}loc").text: url.findtext(f"{SITEMAP}lastmod") for url in urlset}
    assert lastmod["http://testserver/articles/story/"] == article.revised_at.date().isoformat()
    assert lastmod["http://testserver/articles/untouched/"] == published.date().isoformat()


def test_the_news_sitemap_lists_the_last_two_days_in_google_news_format(client, settings, now):
    settings.SITE_NAME = "The Daily Example"
    fresh = ArticleFactory(
        headline="Talks resume & continue", published_at=now - datetime.timedelta(hours=30)
    )
    ArticleFactory(published_at=now - datetime.timedelta(days=3))
    ArticleFactory(status="draft", published_at=None)
    ArticleFactory(published_at=now + datetime.timedelta(hours=1))

    response = client.get("/news-sitemap.xml")

    assert locations(response) == [fresh.get_absolute_url()]
    news = ElementTree.fromstring(response.content).find(f"{SITEMAP}url/{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "The Daily Example"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}title") == "Talks resume & continue"
    published = datetime.datetime.fromisoformat(news.findtext(f"{NEWS}publication_date"))
    assert published == fresh.published_at.replace(microsecond=0)


def test_the_news_sitemap_holds_at_most_a_thousand_articles(client, now, django_assert_max_num_queries):
    section = SectionFactory()
    ArticleFactory.create_batch(1003, section=section, published_at=now - datetime.timedelta(hours=1))
    with django_assert_max_num_queries(3):
        listed = locations(client.get("/news-sitemap.xml"))
    assert len(listed) == 1000


@pytest.mark.parametrize(
    ("code", "expected"), [("en-us", "en"), ("de", "de"), ("zh-tw", "zh-tw"), ("pt-br", "pt")]
)
def test_news_sitemap_language_codes(code, expected):
    from public.sitemaps import news_language

    assert news_language(code) == expected


def test_robots_txt_points_to_both_sitemaps(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/news-sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
