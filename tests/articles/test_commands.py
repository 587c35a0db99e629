"""Operators' commands: loading the seed, the local admin account and staff accounts."""

import stat

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article
from tests.factories import ArticleFactory


def test_load_seed_loads_the_seed_article(db):
    call_command("load_seed", verbosity=0)
    assert Article.objects.published().count() == 1


def test_load_seed_if_empty_keeps_an_editors_changes(seed):
    seed.headline = "Edited by the desk"
    seed.save()

    call_command("load_seed", "--if-empty", verbosity=0)

    seed.refresh_from_db()
    assert seed.headline == "Edited by the desk"


def test_load_seed_if_empty_loads_into_an_empty_site(db):
    call_command("load_seed", "--if-empty", verbosity=0)
    assert Article.objects.count() == 1


def test_load_seed_if_empty_skips_a_site_that_has_articles(db):
    ArticleFactory()
    call_command("load_seed", "--if-empty", verbosity=0)
    assert Article.objects.count() == 1


def test_load_seed_dry_run_checks_the_seed_and_writes_nothing(db, capsys):
    call_command("load_seed", "--dry-run")
    assert capsys.readouterr().out == "Dry run: the seed loads; nothing was written.\n"
    assert not Article.objects.exists()


def test_ensure_local_admin_creates_a_superuser_with_a_random_saved_password(db, settings, tmp_path, capsys):
    settings.DEBUG = True
    password_file = tmp_path / "admin-password"

    call_command("ensure_local_admin", password_file=str(password_file))

    password = password_file.read_text().strip()
    user = User.objects.get(username="admin")
    assert user.is_superuser and user.is_staff
    assert user.check_password(password)
    assert len(password) >= 16
    assert password in capsys.readouterr().out
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600


def test_ensure_local_admin_passwords_differ_between_sites(db, settings, tmp_path):
    settings.DEBUG = True
    call_command("ensure_local_admin", password_file=str(tmp_path / "one"))
    User.objects.all().delete()
    call_command("ensure_local_admin", password_file=str(tmp_path / "two"))
    assert (tmp_path / "one").read_text() != (tmp_path / "two").read_text()


def test_ensure_local_admin_leaves_an_existing_account_alone(db, settings, tmp_path, capsys):
    settings.DEBUG = True
    password_file = tmp_path / "admin-password"
    call_command("ensure_local_admin", password_file=str(password_file))
    first_password = password_file.read_text()

    call_command("ensure_local_admin", password_file=str(password_file))

    assert password_file.read_text() == first_password
    assert User.objects.get(username="admin").check_password(first_password.strip())
    assert f"its password is in {password_file}" in capsys.readouterr().out


def test_ensure_local_admin_dry_run_creates_nothing(db, settings, tmp_path):
    settings.DEBUG = True
    call_command("ensure_local_admin", "--dry-run", password_file=str(tmp_path / "pw"))
    assert not User.objects.exists()
    assert not (tmp_path / "pw").exists()


def test_ensure_local_admin_refuses_to_run_in_production(db, settings, tmp_path):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="createsuperuser"):
        call_command("ensure_local_admin", password_file=str(tmp_path / "pw"))
    assert not User.objects.exists()


def test_create_staff_user_makes_a_staff_account_with_its_role_and_byline(roles, capsys):
    call_command(
        "create_staff_user", "jdoe", "--role", "reporter", "--name", "Jane Doe", "--email", "j@ex.org"
    )

    user = User.objects.get(username="jdoe")
    assert user.is_staff and not user.is_superuser and user.email == "j@ex.org"
    assert list(user.groups.values_list("name", flat=True)) == ["Reporter"]
    assert (user.author.display_name, user.author.slug) == ("Jane Doe", "jane-doe")
    password = capsys.readouterr().out.split("password: ")[1].split(" ")[0]
    assert user.check_password(password)


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["bad user!", "--name", "Bad User"], "'bad user!' is not a valid username: use letters, digits"),
        (["jdoe", "--name", "Jane Doe", "--email", "notanemail"], "'notanemail' is not an email address"),
        (["jdoe", "--name", "!!!"], "'!!!' cannot make an author page address"),
        (["taken", "--name", "Jane Doe"], "The username 'taken' is taken"),
    ],
)
def test_create_staff_user_refuses_bad_input_with_one_line_and_creates_nothing(db, arguments, message):
    User.objects.create_user("taken")

    with pytest.raises(CommandError, match=message) as error:
        call_command("create_staff_user", *arguments, "--role", "editor")

    assert "\n" not in str(error.value)
    assert list(User.objects.values_list("username", flat=True)) == ["taken"]


def test_create_staff_user_dry_run_creates_nothing(roles, capsys):
    call_command("create_staff_user", "jdoe", "--role", "editor", "--name", "Jane Doe", "--dry-run")
    assert "Would create jdoe (Editor)" in capsys.readouterr().out
    assert not User.objects.exists()
