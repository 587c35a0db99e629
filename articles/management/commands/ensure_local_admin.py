"""
Make sure a local run has an admin account, without a password baked into the code.

The first run creates a superuser with a random password, prints it and saves it to a
file only the current user can read; later runs say where to find it. Meant for a local
DEBUG site: in production, use ``createsuperuser``.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Create a local admin account with a random password if there is none (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin", help="Account name (default: admin).")
        parser.add_argument(
            "--password-file",
            default=str(settings.BASE_DIR / ".admin-password"),
            help="Where the generated password is kept (default: .admin-password in the project).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Say what would happen; change nothing.")

    def handle(self, *args, username, password_file, dry_run, **options):
        if not settings.DEBUG:
            raise CommandError(
                "ensure_local_admin is for local sites with DEBUG on; "
                "in production create accounts with `python manage.py createsuperuser`."
            )
        User = get_user_model()
        path = Path(password_file)
        if User.objects.filter(username=username).exists():
            where = (
                f"its password is in {path}"
                if path.exists()
                else "reset its password with `make admin-password`"
            )
            self.stdout.write(f"Admin login: {username} ({where}).")
            return
        if dry_run:
            self.stdout.write(f"Would create the admin account {username!r} and save its password to {path}.")
            return

        password = secrets.token_urlsafe(12)
        with transaction.atomic():
            User.objects.create_superuser(username=username, email="", password=password)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as file:
                file.write(password + "\n")
        self.stdout.write(
            self.style.SUCCESS(f"Created admin login: {username} / {password} (saved in {path}).")
        )
