"""
Build a synthetic archive to measure the site at a newsroom's scale: sections, people (with
the surname as an alias), tags, a few staff authors, and articles spread over years, naming and
quoting those people word for word. The same --seed gives the same archive.

Everything it makes is marked as made up: slugs start with "synthetic-", bylines read
"Synthetic archive", sections are called "… (synthetic)". Rows go in with bulk inserts (one
INSERT per table per batch), and the search documents are filled in one statement, so 100,000
articles on PostgreSQL take minutes.

    python manage.py generate_archive --articles 100000
    python manage.py generate_archive --articles 1000 --replace   # throw the old one away first
    python manage.py generate_archive --urls                      # the archive's telling pages
"""

import datetime
import json
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from synthetic import archive
from synthetic.synthetic import SyntheticArchive


def moment(value: str) -> datetime.datetime:
    """An ISO date or date and time; UTC unless it says otherwise."""
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError as error:
        raise ValueError(f"{value!r} is not an ISO date such as 2026-01-31 or 2026-01-31T09:00") from error
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=datetime.UTC)


class Command(BaseCommand):
    help = "Build a deterministic synthetic archive (marked as such) in bulk, for measuring the site."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000, help="How many articles (default: 1000).")
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same archive.")
        parser.add_argument(
            "--years", type=float, default=10, help="How many years the articles span (default: 10)."
        )
        parser.add_argument(
            "--until",
            type=moment,
            help="When the archive ends, as an ISO date/time (default: the start of the current hour). "
            "A few articles are scheduled after it.",
        )
        parser.add_argument(
            "--people", type=int, help="How many people (default: one for every 50 articles, 20 to 5,000)."
        )
        parser.add_argument("--tags", type=int, help="How many tags (default: one for every 500 articles).")
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="Articles per INSERT batch (default: 2000)."
        )
        parser.add_argument(
            "--replace", action="store_true", help="Delete an existing synthetic archive first."
        )
        parser.add_argument("--dry-run", action="store_true", help="Say what would be made; write nothing.")
        parser.add_argument(
            "--urls",
            action="store_true",
            help="Print the existing archive's telling pages as JSON (newest article, most quoted "
            "person, biggest tag, a search) and stop.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to write to.")

    def handle(self, *args, **options):
        database = options["database"]
        if options["urls"]:
            urls = archive.landmarks(database)
            if not urls:
                raise CommandError("There is no published synthetic archive: run generate_archive first.")
            self.stdout.write(json.dumps(urls, indent=2))
            return
        if options["articles"] < 1 or options["batch_size"] < 1:
            raise CommandError("--articles and --batch-size must be at least 1.")
        try:
            made_up = SyntheticArchive(
                options["articles"],
                seed=options["seed"],
                people=options["people"],
                tags=options["tags"],
                span=datetime.timedelta(days=365.25 * options["years"]),
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        until = options["until"] or timezone.now().replace(minute=0, second=0, microsecond=0)
        verbose = options["verbosity"] >= 1

        exists = archive.synthetic_content_exists(database)
        if exists and not options["replace"]:
            raise CommandError(
                "This database already has synthetic content (slugs starting with “synthetic-”). "
                "Add --replace to delete it and build a new archive."
            )
        if options["dry_run"]:
            counts = archive.count_archive(made_up)
            action = "replace the synthetic archive with" if exists else "make"
            self.stdout.write(
                f"Dry run: would {action} {counts.as_text()}, ending {until:%Y-%m-%d %H:%M %Z}."
            )
            return

        started = time.monotonic()
        with transaction.atomic(using=database):
            if exists:
                try:
                    deleted = archive.delete_synthetic(database)
                except ProtectedError as error:
                    raise CommandError(
                        "Real content uses synthetic people or sections (quotes them or files articles "
                        f"under them), so the archive cannot be deleted: {error.args[0]}"
                    ) from error
                if verbose:
                    self.stdout.write(f"Deleted the old synthetic archive ({deleted:,} articles).")

            def progress(done):
                if options["verbosity"] >= 2:
                    self.stdout.write(f"  {done:,} of {options['articles']:,} articles")

            counts = archive.write_archive(
                made_up, until, database, batch_size=options["batch_size"], progress=progress
            )
        if verbose:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Made a synthetic archive of {counts.as_text()} "
                    f"in {time.monotonic() - started:.0f} s (seed {options['seed']})."
                )
            )
