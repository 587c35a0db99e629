"""
An editor records the seed story's sources in a real browser, reads the dashboard, checks that
its chart and table agree with the hand count, downloads the CSV, and finds none of it on the
public site or in the API.
"""

import csv
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article
from sources.models import SourceProfile
from tests.conftest import SEED_SLUG

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots" / "sources"
PLACE = "Planted-Placeville"
# The seed's quoted people as an editor records them; Vladimir Putin is left unknown.
RECORDS = {
    "donald-trump": ("man", "official"),
    "jd-vance": ("man", "official"),
    "volodymyr-zelenskyy": ("man", "official"),
    "dmitry-peskov": ("man", "spokesperson"),
    "karoline-leavitt": ("woman", "spokesperson"),
    "bridget-brink": ("woman", "official"),
}
# Counted by hand from fixtures/seed.json: 17 quotes; Trump 5, Vance 4, Zelenskyy 4, Putin,
# Peskov, Leavitt and Brink 1 each. Women 2 of 17, men 14, unknown 1 (Putin), all in May 2025.
HAND_COUNT = {"woman": (2, "11.8"), "man": (14, "82.4"), "unknown": (1, "5.9")}


@pytest.mark.django_db(transaction=True)
def test_an_editor_records_sources_reads_the_dashboard_and_none_of_it_is_public(
    chromium, live_server, make_staff
):
    call_command("loaddata", "seed", verbosity=0)
    seed = Article.objects.get(slug=SEED_SLUG)
    make_staff("edna", "Editor")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = chromium.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True).new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "edna")
    page.fill("#id_password", "secret-pw-1")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    # The editor records each person on their own form.
    for slug, (gender, source_type) in RECORDS.items():
        person = seed.people.get(slug=slug)
        page.goto(f"{live_server.url}/admin/articles/person/{person.pk}/change/")
        page.select_option("#id_source_profile-0-gender", gender)
        page.select_option("#id_source_profile-0-gender_basis", "editor")
        page.select_option("#id_source_profile-0-source_type", source_type)
        page.fill("#id_source_profile-0-place", PLACE)
        page.click("input[name=_save]")
        page.wait_for_selector(".messagelist .success")
    assert SourceProfile.objects.filter(place=PLACE).count() == len(RECORDS)

    # The story's form shows its sources at a glance.
    page.goto(f"{live_server.url}/admin/articles/article/{seed.pk}/change/")
    panel = page.locator("#story-sources")
    assert "Karoline Leavitt" in panel.inner_text()
    assert (
        panel.locator(
            f"tr[data-person='{seed.people.get(slug='karoline-leavitt').pk}'] .source-gender"
        ).inner_text()
        == "Woman"
    )

    # The dashboard: each bar of May 2025 has the table's number and the hand count's.
    page.goto(f"{live_server.url}/admin/sources/target/")
    page.click("text=Open the sources dashboard")
    page.fill("#id_start", "2025-01-01")
    page.click("#sources-filters input[type=submit]")
    page.wait_for_selector("svg.sources-chart")
    page.screenshot(path=SCREENSHOTS / "dashboard.png", full_page=True)
    chart = page.locator("svg[data-dimension=gender][data-grouping=month][data-measure=quotes]")
    table = page.locator(
        "table.sources-table[data-dimension=gender][data-grouping=month] tr[data-group='2025-05']"
    )
    for category, (quotes, percent) in HAND_COUNT.items():
        bar = chart.locator(f"rect[data-group='2025-05'][data-category='{category}']")
        cell = table.locator(f"td[data-category='{category}']")
        assert bar.get_attribute("data-share") == cell.get_attribute("data-quote-share") == percent
        assert bar.get_attribute("data-count") == cell.get_attribute("data-quotes") == str(quotes)
        assert bar.bounding_box()["height"] > 0
        assert f"{percent}%" in bar.locator("title").text_content()

    # The same numbers as CSV.
    with page.expect_download() as download:
        page.click("#sources-csv")
    with open(download.value.path(), encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    totals = {
        row["category"]: (int(row["quotes"]), row["quote_share"])
        for row in rows
        if (row["grouping"], row["dimension"]) == ("total", "gender") and row["category"] in HAND_COUNT
    }
    assert totals == HAND_COUNT

    # Readers see none of it: the story, its people, lists, search, feeds and the API.
    reader = chromium.new_context().new_page()
    urls = [seed.get_absolute_url(), "/people/", "/quotes/", "/search/?q=Leavitt", "/feeds/latest/rss/",
            "/sitemap.xml", "/api/people/", f"/api/articles/{seed.slug}/"]  # fmt: skip
    urls += [f"/people/{slug}/" for slug in RECORDS] + [f"/api/people/{slug}/" for slug in RECORDS]
    for url in urls:
        response = reader.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        body = response.text()
        assert PLACE not in body and "Recorded by an editor" not in body, url
        assert "gender" not in body.lower(), url
