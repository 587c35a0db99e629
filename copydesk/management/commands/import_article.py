"""
Import plain-text stories as draft articles, with the people they name and the quotes they
attribute (see ingest for how copy is read).

    python manage.py import_article story.txt other.txt --section world --tag Ukraine
    cat story.txt | python manage.py import_article - --dry-run --json

Each file is imported in its own transaction, as a draft: an editor publishes it in the admin,
where publication's checks apply (copy carries no standfirst, for one). A story already on the
site (same slug or same body) is left as it is. A file that is empty, too big, binary, not
UTF-8 or has no headline is refused with a one-line reason; the others are still imported, and
the command exits with an error status.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.models import Section
from copydesk.story_import import plan_import, report, save_import
from ingest import MAX_BYTES, CopyRefused, decode_copy

STDIN = "-"


class Command(BaseCommand):
    help = "Import plain-text stories (headline on the first line) as draft articles with people and quotes."

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", metavar="PATH", help="Text files to import; - reads standard input."
        )
        parser.add_argument(
            "--section", help="Slug of the section to file the articles in (default: the first)."
        )
        parser.add_argument(
            "--tag", action="append", default=[], dest="tags", help="A tag to add; repeat for several."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be imported; write nothing."
        )
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the report as JSON.")

    def handle(self, *args, paths, section, tags, dry_run, as_json, **options):
        verbosity = options["verbosity"]
        default_section = not section
        section = self._section(section)
        tags = [tag.strip() for tag in tags if tag.strip()]

        reports, refused = [], []
        for path in paths:
            label = "standard input" if path == STDIN else path
            try:
                text = decode_copy(self._read(path))
                with transaction.atomic():
                    plan = plan_import(text, section)
                    if plan.existing is not None:
                        result = report(plan, "exists")
                    elif dry_run:
                        result = report(plan, "dry-run")
                    else:
                        result = report(plan, "created", save_import(plan, tags))
            except CopyRefused as refusal:
                refused.append(f"{label}: refused, {refusal}")
                result = {"status": "refused", "reason": str(refusal)}
            reports.append({"source": label, **result})
            if not as_json and result["status"] != "refused" and verbosity:
                self._print(label, result, verbosity, default_section=default_section)

        if as_json:
            self.stdout.write(json.dumps(reports, indent=2, ensure_ascii=False))
        if refused:
            if len(paths) == 1:
                raise CommandError(refused[0])
            for line in refused:
                self.stderr.write(line)
            others = "read, nothing written (dry run)" if dry_run else "imported or already there"
            raise CommandError(
                f"{len(refused)} of {len(paths)} files refused; {len(paths) - len(refused)} {others}."
            )

    def _section(self, slug: str | None) -> Section:
        if slug:
            section = Section.objects.filter(slug=slug).first()
            if section is None:
                known = ", ".join(Section.objects.values_list("slug", flat=True)) or "none yet"
                raise CommandError(f"No section with the slug “{slug}”. Sections: {known}.")
            return section
        section = Section.objects.first()
        if section is None:
            raise CommandError(
                "There are no sections yet, and an article needs one. Create a section in the admin "
                "(Articles › Sections › Add) or load the seed (python manage.py load_seed), "
                "then import again, optionally with --section SLUG."
            )
        return section

    def _read(self, path: str) -> bytes:
        if path == STDIN:
            stream = getattr(sys.stdin, "buffer", None)
            if stream is None:
                return sys.stdin.read(MAX_BYTES + 1).encode()
            return stream.read(MAX_BYTES + 1)
        try:
            with Path(path).open("rb") as copy:
                return copy.read(MAX_BYTES + 1)
        except OSError as error:
            raise CopyRefused(f"cannot be read: {error.strerror or error}") from None

    def _print(self, label: str, result: dict, verbosity: int, default_section: bool) -> None:
        write = self.stdout.write
        headline, slug = result["headline"], result["slug"]
        if result["status"] == "exists":
            write(self.style.WARNING(f"{label}: already imported as “{headline}” ({slug}); nothing changed."))
            return
        verb = "would create" if result["status"] == "dry-run" else "created"
        where = result["section"] + (
            " (the first section; choose another with --section)" if default_section else ""
        )
        write(self.style.SUCCESS(f"{label}: {verb} draft “{headline}” ({slug}) in {where}"))
        if result["subheads"]:
            write(f"  Subheads: {' · '.join(result['subheads'])}")
        people = result["people"]
        new = sum(1 for person in people if person["status"] == "new")
        write(f"  People: {len(people)} ({new} new, {len(people) - new} matched)")
        for person in people:
            role = f", {person['role']}" if person["role"] else ""
            slug_note = f" [{person['slug']}]" if verbosity > 1 else ""
            write(f"    {person['status']:<8}{person['name']}{role}{slug_note}")
        write(f"  Quotes: {len(result['quotes'])}")
        for quote in result["quotes"]:
            how = f" ({quote['how']})" if verbosity > 1 else ""
            write(f"    {quote['order']}. {quote['speaker']}{how}: “{quote['text']}”")
        undecided = len(result["undecided"])
        if undecided:
            them = "it" if undecided == 1 else "them"
            write(self.style.WARNING(f"  Undecided: {undecided} (not saved; add {them} in the admin)"))
            for quote in result["undecided"]:
                write(f"    “{quote['text']}”: {quote['why']}")
        if result["left_out"]:
            write(f"  Left out: {len(result['left_out'])} (not a person's words, so not saved as quotes)")
            for quote in result["left_out"]:
                write(f"    “{quote['text']}”: {quote['why']}")
