"""
Make the renditions of library images again: after a change to the sizes or formats
(images.renditions.VERSION), a move to another storage, or files lost from it.

Each image is done in a transaction of its own, its row locked: a failure leaves that image as it
was, and the others done. Renditions already in the storage are kept unless --force.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from images import renditions
from images.models import Image


class Command(BaseCommand):
    help = "Make library images' renditions (all, or the ids given) and record them."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="Image ids; all images when none are given.")
        parser.add_argument(
            "--missing",
            action="store_true",
            help="Only images without renditions recorded (e.g. restored from a backup).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Encode and write every rendition again, even those already in the storage.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read each image and say how many files it would write; write nothing.",
        )

    def handle(self, *args, ids, missing=False, force=False, dry_run=False, **options):
        images = Image.objects.order_by("pk")
        if ids:
            images = images.filter(pk__in=ids)
            unknown = sorted(set(ids) - set(images.values_list("pk", flat=True)))
            if unknown:
                raise CommandError(
                    f"No image with id {', '.join(map(str, unknown))}: "
                    "see the ids in the admin's image library."
                )
        if missing:
            images = images.filter(renditions={})
        failures, files, done = [], 0, 0
        for pk in images.values_list("pk", flat=True):
            try:
                with transaction.atomic():
                    image = Image.objects.select_for_update().get(pk=pk)
                    made, written = renditions.make(image, force=force, dry_run=dry_run)
                    if not dry_run:
                        # Saved, not update()d: the pages printing the picture hear of it.
                        image.renditions = made
                        image.save(update_fields=["renditions"])
            except renditions.RenditionError as error:
                failures.append(str(error))
                self.stderr.write(str(error))
                continue
            done += 1
            files += written
            if options["verbosity"] >= 2:
                self.stdout.write(f"Image {pk}: {written} file(s) {'to write' if dry_run else 'written'}.")
        if dry_run:
            self.stdout.write(
                f"Dry run: {done} image(s) read, {files} file(s) would be written; nothing was."
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"{done} image(s) done, {files} file(s) written."))
        if failures:
            raise CommandError(
                f"{len(failures)} image(s) failed, listed above: upload their pictures again in the "
                "image library, or delete them, then run this again."
            )
