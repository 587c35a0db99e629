"""The sources dashboard, its CSV and a story's sources panel, by real requests for each role."""

import csv
import datetime
import io

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from articles.models import Quote
from sources.models import QuoteOrigin, SourceProfile, Target
from tests.factories import PersonFactory
from tests.html_forms import form_data
from tests.html_tree import parse_html
from tests.sources import newsroom as hand

pytestmark = pytest.mark.django_db

DASHBOARD = "admin:sources_dashboard"
CSV = "admin:sources_dashboard_csv"


@pytest.fixture
def counted(make_staff):
    with time_machine.travel(hand.NOW, tick=False):
        yield hand.build(make_staff)


def logged_in(client, user):
    client.force_login(user)
    return client


def table(html: str, dimension: str, grouping: str) -> dict[str, dict[str, int]]:
    found = parse_html(html).find(
        "table", class_="sources-table", **{"data-dimension": dimension, "data-grouping": grouping}
    )
    return {
        row.attrs["data-group"]: {
            cell.attrs["data-category"]: int(cell.attrs["data-quotes"])
            for cell in row.find_all("td")
            if "data-category" in cell.attrs
        }
        for row in found.find("tbody").find_all("tr")
    }


def csv_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_an_editor_sees_the_newsrooms_numbers_as_counted_by_hand(client, counted):
    html = (
        logged_in(client, counted["edna"]).get(reverse(DASHBOARD), {"start": "2026-01-01"}).content.decode()
    )
    assert table(html, "gender", "total") == {"All": hand.QUOTES_BY_GENDER}
    assert table(html, "gender", "month") == hand.MONTHS_BY_GENDER
    assert table(html, "gender", "author") == hand.AUTHORS_BY_GENDER
    assert table(html, "source_type", "total") == {"All": hand.QUOTES_BY_TYPE}
    assert table(html, "origin", "total") == {"All": hand.QUOTES_BY_ORIGIN}
    assert "46 words quoted from 8 people: 5.8 words per person" in html


def test_each_chart_bar_has_the_share_its_table_shows(client, counted):
    html = (
        logged_in(client, counted["edna"]).get(reverse(DASHBOARD), {"start": "2026-01-01"}).content.decode()
    )
    tree = parse_html(html)
    chart = tree.find(
        "svg", **{"data-dimension": "gender", "data-grouping": "month", "data-measure": "quotes"}
    )
    bars = {
        (rect.attrs["data-group"], rect.attrs["data-category"]): rect.attrs
        for rect in chart.find_all("rect")
        if "data-group" in rect.attrs
    }
    rows = tree.find(
        "table", class_="sources-table", **{"data-dimension": "gender", "data-grouping": "month"}
    )
    for row in rows.find("tbody").find_all("tr"):
        for cell in row.find_all("td"):
            if "data-category" in cell.attrs:
                bar = bars[row.attrs["data-group"], cell.attrs["data-category"]]
                assert bar["data-count"] == cell.attrs["data-quotes"]
                assert float(bar["data-share"]) == float(cell.attrs["data-quote-share"] or 0)
    assert bars["2026-11", "woman"]["data-share"] == "37.5"  # 3 of November's 8, by hand
    assert "<script" not in html.split('id="content-main"')[1]


def test_the_csv_has_the_tables_numbers(client, counted):
    response = logged_in(client, counted["edna"]).get(reverse(CSV), {"start": "2026-01-01"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    totals = {
        row["category"]: int(row["quotes"])
        for row in rows
        if (row["grouping"], row["dimension"]) == ("total", "gender")
    }
    assert totals == hand.QUOTES_BY_GENDER
    november = {
        row["category"]: row["quote_share"]
        for row in rows
        if row["group"] == "2026-11" and row["dimension"] == "gender"
    }
    assert november["woman"] == "37.5"
    people = {
        row["category"]: int(row["people"])
        for row in rows
        if (row["grouping"], row["dimension"]) == ("total", "gender")
    }
    assert people == hand.PEOPLE_BY_GENDER


def test_filters_reach_the_csv(client, counted):
    response = logged_in(client, counted["edna"]).get(
        reverse(CSV), {"section": counted["sections"]["a"].pk, "tag": "floods"}
    )
    totals = {
        row["category"]: int(row["quotes"])
        for row in csv_rows(response)
        if (row["grouping"], row["dimension"]) == ("total", "gender")
    }
    assert totals == {"woman": 1, "man": 1, "non-binary": 0, "another": 0, "unknown": 0}  # s1 alone


@pytest.mark.parametrize(
    "query, message",
    [
        ({"start": "2026-12-01", "end": "2026-01-01"}, "The start date is after the end date"),
        ({"start": "yesterday"}, "Enter a valid date"),
        ({"tag": "no-such-topic"}, "No topic is called"),
        ({"section": "999999"}, "Select a valid choice"),
        ({"start": "2023-01-01"}, "Choose at most three years at a time"),
    ],
)
def test_bad_filters_are_refused_with_what_to_do(client, counted, query, message):
    response = logged_in(client, counted["edna"]).get(reverse(DASHBOARD), query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert logged_in(client, counted["edna"]).get(reverse(CSV), query).status_code == 400


def test_without_a_start_date_the_dashboard_counts_the_last_twelve_months(client, counted):
    old = counted["stories"]["s12"]
    old.published_at = hand.NOW.replace(year=2025, month=11, day=1)
    old.save()
    editor = logged_in(client, counted["edna"])
    for query in ({"section": ""}, {}):
        html = editor.get(reverse(DASHBOARD), query).content.decode()
        assert sum(table(html, "gender", "total")["All"].values()) == 13  # s12 is 13 months old
    # The form says which twelve months: those up to the newest published quote.
    newest = Quote.objects.published().order_by("-article__published_at").first().article.published_at
    assert f'value="{timezone.localdate(newest) - datetime.timedelta(days=365)}"' in html


def test_a_reporter_sees_only_their_own_stories_sources(client, counted):
    rita = logged_in(client, counted["rita"])
    html = rita.get(reverse(DASHBOARD), {"start": "2026-01-01"}).content.decode()
    assert "My sources" in html
    assert table(html, "gender", "total") == {"All": hand.AUTHORS_BY_GENDER["Rita"]}
    assert "Una Unrecorded" not in html and "Umar Unknown" not in html  # quoted only in others' stories
    assert 'data-grouping="author"' not in html
    rows = csv_rows(rita.get(reverse(CSV)))
    assert (
        sum(int(row["quotes"]) for row in rows if (row["grouping"], row["dimension"]) == ("total", "gender"))
        == 7
    )
    # Asking for another author's stories still counts only her own among them.
    other = rita.get(reverse(CSV), {"author": "edna"})
    assert (
        sum(
            int(row["quotes"])
            for row in csv_rows(other)
            if (row["grouping"], row["dimension"]) == ("total", "gender")
        )
        == 2
    )


def test_staff_without_a_role_and_readers_cannot_open_the_dashboard(client, counted):
    nobody = User.objects.create_user("nobody", is_staff=True)
    assert logged_in(client, nobody).get(reverse(DASHBOARD)).status_code == 403
    assert client.get(reverse(CSV)).status_code == 403
    client.logout()
    for name in (DASHBOARD, CSV):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_dashboard_costs_the_same_few_queries_whatever_is_counted(
    client, counted, django_assert_max_num_queries
):
    Target.objects.create(name="Half women", category="woman", share=50)
    Target.objects.create(name="Experts", dimension="source_type", category="expert", share=10)
    editor = logged_in(client, counted["edna"])
    # Session, user, two of permissions; five breakdowns, two lists, the targets and their
    # progress; the sections and authors of the filters; the newest quote's date, where the
    # unfiltered period ends.
    with django_assert_max_num_queries(16):
        assert editor.get(reverse(DASHBOARD), {"start": "2026-01-01"}).status_code == 200
    for index in range(5):
        Target.objects.create(
            name=f"More {index}", category="man", share=20, section=counted["sections"]["b"]
        )
    with django_assert_max_num_queries(16):
        assert editor.get(reverse(DASHBOARD)).status_code == 200


def test_targets_and_their_progress_are_on_the_dashboard(client, counted):
    Target.objects.create(name="Half our voices women", measure="speakers", category="woman", share=50)
    html = logged_in(client, counted["edna"]).get(reverse(DASHBOARD)).content.decode()
    row = parse_html(html).find("table", class_="sources-targets").find("tbody").find("tr")
    assert "28.6% (2 of 7 since 2026-11-01)" in row.text
    assert "not yet" in row.text


def test_the_article_form_shows_its_editor_the_storys_sources(client, counted):
    url = reverse("admin:articles_article_change", args=[counted["stories"]["s2"].pk])
    html = logged_in(client, counted["edna"]).get(url).content.decode()
    panel = parse_html(html).find(id="story-sources")
    rows = [
        [cell.text.strip() for cell in row.children if not isinstance(cell, str)]
        for row in panel.find("tbody").find_all("tr")
    ]
    assert rows == [
        ["Mark One", "2", "7", "Man", "Official or politician", "Wire copy, Unknown"],
        ["Una Unrecorded", "1", "3", "Unknown", "Unknown", "Unknown"],
    ]


def test_a_reporter_sees_the_panel_on_her_own_story_not_on_anothers(client, counted):
    rita = logged_in(client, counted["rita"])
    own = rita.get(
        reverse("admin:articles_article_change", args=[counted["stories"]["s7"].pk])
    ).content.decode()
    assert 'id="story-sources"' in own and "Wilma Two" in own
    others = rita.get(reverse("admin:articles_article_change", args=[counted["stories"]["s6"].pk]))
    assert others.status_code == 200
    assert 'id="story-sources"' not in others.content.decode()


def test_the_quote_origin_is_set_in_the_article_form_and_kept_through_saves(client, counted):
    article = counted["stories"]["s2"]
    url = reverse("admin:articles_article_change", args=[article.pk])
    editor = logged_in(client, counted["edna"])
    data = form_data(editor.get(url).content.decode(), "article_form")
    assert data["quotes-0-origin"] == ["wire"]
    data["quotes-1-origin"] = ["own"]
    assert editor.post(url, data).status_code == 302
    origins = dict(QuoteOrigin.objects.filter(quote__article=article).values_list("quote__order", "origin"))
    assert origins == {1: "wire", 2: "own"}
    # Another save leaves them as they are, and an untouched quote gets no record.
    data = form_data(editor.get(url).content.decode(), "article_form")
    data["headline"] = ["Story s2, revised"]
    assert editor.post(url, data).status_code == 302
    assert QuoteOrigin.objects.filter(quote__article=article).count() == 2


def test_a_person_s_source_record_is_kept_on_their_form(client, counted):
    person = PersonFactory(name="Fresh Face")
    url = reverse("admin:articles_person_change", args=[person.pk])
    editor = logged_in(client, counted["edna"])
    data = form_data(editor.get(url).content.decode(), "person_form")
    data.update({"source_profile-0-gender": ["woman"], "source_profile-0-source_type": ["expert"]})
    response = editor.post(url, data)
    assert response.status_code == 200  # the basis is missing
    assert "Say whether the person described themselves" in response.content.decode()
    data["source_profile-0-gender_basis"] = ["self"]
    data["source_profile-0-place"] = ["Lusor"]
    assert editor.post(url, data).status_code == 302
    record = SourceProfile.objects.get(person=person)
    assert (record.gender, record.gender_basis, record.source_type, record.place) == (
        "woman",
        "self",
        "expert",
        "Lusor",
    )


def test_reporters_never_see_or_change_a_persons_source_record(client, counted):
    person = counted["people"]["Wanda One"]
    rita = logged_in(client, counted["rita"])
    html = rita.get(reverse("admin:articles_person_change", args=[person.pk])).content.decode()
    assert "Lusor" not in html and "source_profile" not in html
    assert not Quote.objects.filter(speaker=person, article__status="draft").exists()


def test_without_filters_the_dashboard_counts_the_year_up_to_the_newest_quote(client, counted):
    """A newsroom whose newest story is older than a year still sees its numbers, not an empty page."""
    with time_machine.travel(hand.NOW + datetime.timedelta(days=800)):
        newest = Quote.objects.published().order_by("-article__published_at").first().article.published_at
        html = logged_in(client, counted["edna"]).get(reverse(DASHBOARD)).content.decode()

    assert "No published quotes match" not in html
    assert f'value="{timezone.localdate(newest) - datetime.timedelta(days=365)}"' in html
