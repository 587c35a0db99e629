"""
The sources dashboard's content, from its filters and the user's scope: the breakdowns, charts,
lists and targets the admin page shows, and the same numbers as CSV rows. About a dozen queries,
whatever the archive's size (tests/sources/test_dashboard.py pins them).
"""

import csv

from sources import reports
from sources.charts import share_chart
from sources.forms import DashboardFilters
from sources.models import Target

CSV_FIELDS = (
    "grouping",
    "group",
    "dimension",
    "category",
    "quotes",
    "quote_share",
    "people",
    "people_share",
    "words",
)

PERSON_DIMENSIONS = ("gender", "source_type")
CHARTS = [
    ("gender", "quotes", "Quotes by gender, per month"),
    ("gender", "speakers", "People quoted by gender, per month"),
    ("source_type", "quotes", "Quotes by source type, per month"),
]


def breakdowns(form: DashboardFilters, user) -> tuple:
    """The quotes counted and their breakdowns; ``user`` None for the newsroom, else their own."""
    quotes = reports.counted_quotes(filters(form), user)
    # Per author only for the newsroom: a reporter's own view is theirs alone.
    groupings = ["total", "month", "section"] + (["author"] if user is None else [])
    tables = [
        table for grouping in groupings for table in reports.breakdowns(quotes, PERSON_DIMENSIONS, grouping)
    ]
    tables.insert(2, reports.breakdown(quotes, "origin"))
    return quotes, tables


def filters(form: DashboardFilters) -> reports.Filters:
    """The form's filters; with none asked for, twelve months up to the newest quote (bounded)."""
    return form.filters() if form.is_bound else reports.Filters(start=form.default_start)


def context(form: DashboardFilters, user) -> dict:
    quotes, tables = breakdowns(form, user)
    by = {(table.dimension, table.grouping): table for table in tables}
    targets = list(Target.objects.select_related("section"))
    return {
        "breakdowns": tables,
        "charts": [
            (title, share_chart(by[dimension, "month"], measure, title))
            for dimension, measure, title in CHARTS
        ],
        "people": reports.most_quoted(quotes),
        "organisations": reports.most_quoted_organisations(quotes),
        "words": reports.words_per_person(by["gender", "total"]),
        # Each target has its own period: measured on the scope, not the date filters.
        "progress": reports.progress(targets, reports.counted_quotes(reports.Filters(), user)),
    }


def write_csv(tables, out) -> None:
    """One row per group and category of each breakdown, to the file-like ``out``."""
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for table in tables:
        for group in table.groups:
            for cell in group.cells:
                people = cell.speakers if group.speakers is not None else ""
                writer.writerow(
                    [
                        table.grouping,
                        _cell_text(group.label),
                        table.dimension,
                        cell.category,
                        cell.quotes,
                        cell.quote_share,
                        people,
                        cell.speaker_share,
                        cell.words,
                    ]
                )


def _cell_text(text: str) -> str:
    # A spreadsheet runs a cell starting with = + - @ as a formula: a section named so stays text.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
