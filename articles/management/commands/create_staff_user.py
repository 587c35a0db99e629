"""
Create a newsroom staff account with a role (Reporter or Editor) and a public byline.

    python manage.py create_staff_user jdoe --role reporter --name "Jane Doe" --email jane@example.com

A random password is printed once; the person changes it after logging in (or set one
with `python manage.py changepassword jdoe`).
"""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify

from articles.models import Author
from articles.roles import ROLE_PERMISSIONS

ROLES = {role.lower(): role for role in ROLE_PERMISSIONS}


class Command(BaseCommand):
    help = "Create a staff account with the Reporter or Editor role and an author byline."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(ROLES), help="What the account may do.")
        parser.add_argument("--name", required=True, help="The name printed in bylines, e.g. “Jane Doe”.")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and say what would happen; change nothing."
        )

    def handle(self, *args, username, role, name, email, dry_run, **options):
        User = get_user_model()
        # The admin's own checks, so the account can be edited there afterwards.
        try:
            User.username_validator(username)
        except ValidationError:
            raise CommandError(
                f"{username!r} is not a valid username: use letters, digits and @ . + - _ only, no spaces."
            ) from None
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise CommandError(
                    f"{email!r} is not an email address; give one like jane@example.com."
                ) from None
        if User.objects.filter(username=username).exists():
            raise CommandError(
                f"The username {username!r} is taken; choose another or edit that account in the admin."
            )
        slug = slugify(name)
        if not slug:
            raise CommandError(
                f"{name!r} cannot make an author page address; give a name with letters in it."
            )
        if Author.objects.filter(slug=slug).exists():
            raise CommandError(f"An author page /authors/{slug}/ exists already; give a different --name.")
        group = Group.objects.filter(name=ROLES[role]).first()
        if group is None:
            raise CommandError(f"The {ROLES[role]} role is missing; run `python manage.py migrate` first.")
        if dry_run:
            self.stdout.write(f"Would create {username} ({ROLES[role]}) with the byline “{name}”.")
            return

        password = secrets.token_urlsafe(12)
        first_name, _, last_name = name.partition(" ")
        with transaction.atomic():
            user = User.objects.create_user(
                username,
                email=email,
                password=password,
                first_name=first_name,
                last_name=last_name,
                is_staff=True,
            )
            user.groups.add(group)
            Author.objects.create(user=user, display_name=name, slug=slug)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {ROLES[role].lower()} {username} (byline “{name}”), password: {password} — "
                "ask them to change it after logging in."
            )
        )
