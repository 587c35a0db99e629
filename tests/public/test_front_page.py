"""
The front page as editors arrange it: their placements first, in order (1 is the lead), then the
newest; a placement that ended, or a story no longer public, falls back.
"""

import datetime

import pytest
import time_machine

from articles.models import Article, Placement
from tests.factories import ArticleFactory, SectionFactory
from tests.html_tree import parse_html
from tests.public.pictures import make_image

pytestmark = pytest.mark.django_db


def front_page(client):
    response = client.get("/")
    assert response.status_code == 200
    return parse_html(response.content)


def lead_headline(tree) -> str:
    return tree.find("section", class_="lead-story").find("h3", class_="card-headline").text.strip()


def headlines(tree) -> list[str]:
    """Every story's headline on the page, in reading order."""
    return [heading.text.strip() for heading in tree.find_all("h3", class_="card-headline")]


def top_headlines(tree) -> list[str]:
    return [
        h.text.strip()
        for h in tree.find("section", class_="top-stories").find_all("h3", class_="card-headline")
    ]


@pytest.fixture
def stories(now):
    """Six published stories, "Story 0" the newest."""
    section = SectionFactory(name="World", slug="world")
    return [
        ArticleFactory(
            headline=f"Story {number}",
            section=section,
            published_at=now - datetime.timedelta(hours=number + 1),
        )
        for number in range(6)
    ]


def test_without_placements_the_newest_story_leads_and_the_next_are_top_stories(client, stories):
    tree = front_page(client)

    assert lead_headline(tree) == "Story 0"
    assert top_headlines(tree) == ["Story 1", "Story 2", "Story 3", "Story 4"]
    assert headlines(tree) == [f"Story {number}" for number in range(6)]


def test_the_story_placed_first_leads_and_placed_stories_come_in_their_order(client, stories):
    Placement.objects.create(article=stories[4], position=1)
    Placement.objects.create(article=stories[2], position=3)
    Placement.objects.create(article=stories[5], position=2)

    tree = front_page(client)

    assert lead_headline(tree) == "Story 4"
    assert top_headlines(tree) == ["Story 5", "Story 2", "Story 0", "Story 1"]
    # Then the rest, newest first, and each story once.
    assert headlines(tree) == ["Story 4", "Story 5", "Story 2", "Story 0", "Story 1", "Story 3"]


def test_every_placed_story_is_a_top_story_however_many(client, now):
    section = SectionFactory()
    placed = [
        ArticleFactory(
            headline=f"Placed {n}", section=section, published_at=now - datetime.timedelta(days=n + 1)
        )
        for n in range(7)
    ]
    ArticleFactory(headline="Newest", section=section, published_at=now)
    for position, article in enumerate(placed, start=1):
        Placement.objects.create(article=article, position=position)

    tree = front_page(client)

    assert lead_headline(tree) == "Placed 0"
    assert top_headlines(tree) == [f"Placed {n}" for n in range(1, 7)]
    assert headlines(tree)[-1] == "Newest"


def test_a_placement_that_has_ended_falls_back_among_the_newest(client, stories, now):
    Placement.objects.create(article=stories[5], position=1, expires_at=now - datetime.timedelta(minutes=1))

    tree = front_page(client)

    assert lead_headline(tree) == "Story 0"
    assert headlines(tree) == [f"Story {number}" for number in range(6)]


@pytest.mark.parametrize("status", [Article.Status.WITHDRAWN, Article.Status.DRAFT])
def test_a_placed_story_that_is_no_longer_public_leaves_the_front_page(client, stories, status):
    Placement.objects.create(article=stories[3], position=1)
    Placement.objects.create(article=stories[5], position=2)
    stories[3].status = status
    stories[3].save()

    tree = front_page(client)

    assert lead_headline(tree) == "Story 5"
    assert "Story 3" not in headlines(tree)


def test_a_scheduled_story_placed_in_advance_leads_once_it_is_published(client, stories, now):
    embargoed = ArticleFactory(
        headline="Embargoed", section=stories[0].section, published_at=now + datetime.timedelta(hours=1)
    )
    Placement.objects.create(article=embargoed, position=1)

    assert lead_headline(front_page(client)) == "Story 0"
    with time_machine.travel(now + datetime.timedelta(hours=1, seconds=1), tick=False):
        assert lead_headline(front_page(client)) == "Embargoed"


def test_the_lead_story_shows_its_picture_at_once_and_the_rest_load_theirs_lazily(client, stories, media):
    picture = make_image()
    for article in stories:
        article.lead_image = picture
        article.save()

    tree = front_page(client)

    lead = tree.find("section", class_="lead-story").find("img")
    assert lead.attrs["loading"] == "eager"
    assert int(lead.attrs["width"]) * 2 == int(lead.attrs["height"]) * 3  # the 3:2 crop
    assert lead.attrs["alt"] == "Hills under a summer sky"
    others = [img for img in tree.find_all("img") if img is not lead]
    assert len(others) == 5
    assert {img.attrs["loading"] for img in others} == {"lazy"}
    assert all(img.attrs["width"] and img.attrs["height"] for img in others)


def test_teasers_carry_their_bylines(client, stories, make_staff):
    stories[1].authors.add(make_staff("rita", "Reporter").author, make_staff("omar", "Reporter").author)
    stories[1].byline = "Reuters"
    stories[1].save()

    tree = front_page(client)

    card = next(card for card in tree.find_all("article", class_="card") if "Story 1" in card.text)
    assert " ".join(card.find("span", class_="card-byline").text.split()) == "By Omar and Rita, Reuters"


def test_of_two_stories_at_one_position_the_one_placed_last_goes_first(client, stories, now):
    with time_machine.travel(now - datetime.timedelta(minutes=10), tick=False):
        Placement.objects.create(article=stories[3], position=1)
    Placement.objects.create(article=stories[4], position=1)

    tree = front_page(client)

    assert lead_headline(tree) == "Story 4"
    assert top_headlines(tree)[0] == "Story 3"
