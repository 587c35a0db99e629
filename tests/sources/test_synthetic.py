"""The synthetic archive carries made-up source records to measure the dashboard on."""

import pytest
from django.utils import timezone

from sources import reports
from sources.models import QuoteOrigin, SourceProfile
from synthetic.archive import delete_synthetic, write_archive
from synthetic.synthetic import SyntheticArchive

pytestmark = pytest.mark.django_db


def test_the_archive_records_most_people_and_quotes_and_leaves_some_unknown():
    counts = write_archive(
        SyntheticArchive(300, seed=2, people=60, tags=12), until=timezone.now(), using="default"
    )
    records = SourceProfile.objects.count()
    assert 40 <= records < 60  # about one in ten people has no record
    assert {"man", "woman", "unknown"} <= set(SourceProfile.objects.values_list("gender", flat=True))
    assert not SourceProfile.objects.exclude(gender="unknown").filter(gender_basis="").exists()
    origins = QuoteOrigin.objects.count()
    assert 0.7 * counts.quotes < origins < counts.quotes
    gender = reports.breakdown(reports.counted_quotes(reports.Filters()), "gender")
    assert gender.groups[0].unknown.quotes > 0 and gender.groups[0].quotes > 0


def test_deleting_the_archive_deletes_its_source_records():
    write_archive(SyntheticArchive(50, seed=2, people=20, tags=12), until=timezone.now(), using="default")
    delete_synthetic("default")
    assert not SourceProfile.objects.exists() and not QuoteOrigin.objects.exists()
