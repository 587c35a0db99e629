"""
Topics in the admin: the article list filters on the topics in use, not on every tag there is;
the tags' list counts their articles; merging tags moves every article to the tag kept.
"""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from taggit.models import Tag

from desk.admin.tags import TopicFilter
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

TAGS = reverse("admin:taggit_tag_changelist")
ARTICLES = reverse("admin:articles_article_changelist")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def topic_choices(response) -> list[str]:
    [spec] = [spec for spec in response.context["cl"].filter_specs if isinstance(spec, TopicFilter)]
    return [title for _slug, title in spec.lookup_choices]


def test_the_topic_filter_offers_the_most_used_topics_of_the_latest_articles_by_name(editor_client):
    for number in range(TopicFilter.shown + 5):
        for _ in range(number + 1):  # topic 19 is on 20 articles, topic 0 on one
            ArticleFactory().tags.add(f"topic {number:02}")

    choices = topic_choices(editor_client.get(ARTICLES))

    assert choices == [f"topic {number:02}" for number in range(5, TopicFilter.shown + 5)]


def test_a_topic_chosen_from_the_tags_list_is_offered_too(editor_client):
    rare = ArticleFactory()
    rare.tags.add("Rare topic")
    for number in range(TopicFilter.shown):
        for _ in range(2):
            ArticleFactory().tags.add(f"topic {number:02}")

    response = editor_client.get(ARTICLES, {"tag": "rare-topic"})

    assert "Rare topic" in topic_choices(response)
    assert list(response.context["cl"].result_list) == [rare]


def test_the_tags_list_counts_articles_and_links_to_them(editor_client):
    for _ in range(3):
        ArticleFactory().tags.add("Elections")

    html = editor_client.get(TAGS).content.decode()

    assert f'<a href="{ARTICLES}?tag=elections">3</a>' in html


def merge(client, tags, keep=None):
    data = {"action": "merge", ACTION_CHECKBOX_NAME: [tag.pk for tag in tags]}
    if keep is not None:
        data["keep"] = keep.pk
    return client.post(TAGS, data, follow=keep is not None)


def test_merging_tags_asks_which_one_stays_then_moves_every_article_to_it(editor_client, client):
    first, both, last = ArticleFactory(), ArticleFactory(), ArticleFactory()
    first.tags.add("Ukraine war")
    both.tags.add("Ukraine war", "War in Ukraine")
    last.tags.add("War in Ukraine", "Russia-Ukraine war")
    tags = list(Tag.objects.order_by("pk"))

    asked = merge(editor_client, tags)
    assert asked.status_code == 200
    assert "Which tag stays?" in asked.content.decode()
    assert Tag.objects.count() == 3  # nothing changes before the choice

    done = merge(editor_client, tags, keep=tags[0])

    assert "into “Ukraine war”: it is on 3 articles." in done.content.decode()
    assert list(Tag.objects.values_list("name", flat=True)) == ["Ukraine war"]
    for article in (first, both, last):
        assert list(article.tags.names()) == ["Ukraine war"]


def test_a_merge_shows_on_the_public_tag_page_at_once(editor_client, client, yesterday):
    article = ArticleFactory(published_at=yesterday, headline="Talks resume")
    article.tags.add("Diplomacy")
    other = ArticleFactory(published_at=yesterday, headline="Envoys meet")
    other.tags.add("Diplomats")
    kept, merged = Tag.objects.get(name="Diplomacy"), Tag.objects.get(name="Diplomats")
    assert "Envoys meet" not in client.get(f"/tags/{kept.slug}/").content.decode()  # now cached

    merge(editor_client, [kept, merged], keep=kept)

    assert "Envoys meet" in client.get(f"/tags/{kept.slug}/").content.decode()


def test_merging_needs_two_tags(editor_client):
    ArticleFactory().tags.add("Elections")

    response = merge(editor_client, list(Tag.objects.all()))

    assert response.status_code == 302
    assert Tag.objects.count() == 1


def test_reporters_cannot_merge_tags(client, reporter):
    ArticleFactory().tags.add("Elections", "Elections 2026")
    client.force_login(reporter)

    merge(client, list(Tag.objects.all()), keep=Tag.objects.first())

    assert Tag.objects.count() == 2


def test_the_admin_calls_tags_topics(editor_client):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert 'title="Models in the Topics application">Topics</a>' in html
    assert 'title="Models in the Editorial application">Editorial</a>' in html
    assert "Taggit" not in html
