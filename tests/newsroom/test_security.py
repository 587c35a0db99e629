"""Hardening: security headers, no inline script, login throttling, accounts, health, outages."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from articles.models import Article, Person, Section
from tests.html_forms import form_data
from tests.html_tree import parse_html

PROJECT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "-production-secret-" + "x" * 30,
    "ALLOWED_HOSTS": "news.example.com",
}


def manage(*args, **env):
    environment = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT, env=environment, capture_output=True, text=True
    )


def test_production_settings_pass_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_turn_on_https_and_secure_cookies():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)",
        **PRODUCTION,
    )
    assert result.stdout.split()[-4:] == ["True", "True", "True", "31536000"]


@pytest.mark.parametrize("url", ["/", "/people/", "/admin/login/"])
def test_pages_send_security_headers(client, seed, url):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize(
    "url", ["/", "/people/", "/people/vladimir-putin/", "/sections/world/", "/tags/ukraine/", "article"]
)
def test_public_pages_have_no_inline_script(client, seed, url):
    page = parse_html(client.get(seed.get_absolute_url() if url == "article" else url).content)
    for script in page.find_all("script"):
        assert script.attrs.get("src") or script.attrs.get("type") == "application/ld+json"


def test_admin_login_is_locked_after_repeated_failures(client, db):
    User.objects.create_superuser("chief", password="the-right-password-1")
    login = reverse("admin:login")
    statuses = [
        client.post(login, {"username": "chief", "password": "a-guess"}).status_code for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    locked = client.post(login, {"username": "chief", "password": "the-right-password-1"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_successful_login_resets_the_failure_count(client, db):
    User.objects.create_superuser("chief", password="the-right-password-1")
    login = reverse("admin:login")
    for _ in range(4):
        client.post(login, {"username": "chief", "password": "a-guess"})
    assert client.post(login, {"username": "chief", "password": "the-right-password-1"}).status_code == 302
    client.logout()
    for _ in range(4):
        client.post(login, {"username": "chief", "password": "a-guess"})
    assert client.post(login, {"username": "chief", "password": "the-right-password-1"}).status_code == 302


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/login", "//evil.example/", "http://testserver.evil.example/admin/"]
)
def test_a_login_asked_to_go_off_site_lands_on_the_admin_index(client, admin_user, next_url):
    response = client.post(
        reverse("admin:login"), {"username": admin_user.username, "password": "password", "next": next_url}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200


def test_a_login_asked_for_a_page_of_the_site_goes_there(client, admin_user):
    wanted = reverse("admin:articles_article_changelist")
    response = client.post(
        reverse("admin:login"), {"username": admin_user.username, "password": "password", "next": wanted}
    )
    assert response["Location"] == wanted


def test_passwords_go_through_djangos_validators(client, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_add")
    response = client.post(
        url,
        {"username": "newbie", "password1": "password", "password2": "password", "usable_password": "true"},
    )
    assert "This password is too common" in response.content.decode()
    assert not User.objects.filter(username="newbie").exists()


def test_sessions_expire_after_a_working_day(client, admin_user):
    login = client.post(reverse("admin:login"), {"username": admin_user.username, "password": "password"})
    assert login.status_code == 302
    assert login.cookies["sessionid"]["max-age"] == 8 * 60 * 60
    assert login.cookies["sessionid"]["httponly"]


def test_the_admin_address_comes_from_the_settings():
    result = manage(
        "shell",
        "-c",
        "from django.urls import reverse; print(reverse('admin:index'))",
        ADMIN_URL="back-office",
    )
    assert result.stdout.split()[-1] == "/back-office/"


def test_the_health_check_reports_a_reachable_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_the_health_check_answers_over_plain_http_while_pages_redirect_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True  # as in production, where gunicorn sees plain HTTP

    assert client.get("/healthz").status_code == 200
    assert client.get("/people/").status_code == 301


OUTAGE = (
    "from django.test import Client; c = Client(); "
    "r = c.get('/healthz'); print(r.status_code); "
    "r = c.get('/people/'); print(r.status_code, r.get('Retry-After'), b'Back in a moment' in r.content)"
)


def test_with_the_database_down_pages_answer_503_quickly():
    # A real, unreachable PostgreSQL server: nothing listens on port 1.
    result = manage("shell", "-c", OUTAGE, DATABASE_URL="postgres://postgres@127.0.0.1:1/newsroom")
    assert result.stdout.split()[-4:] == ["503", "503", "10", "True"], result.stderr[-2000:]


def test_a_quoted_person_cannot_be_deleted(client, admin_user, seed):
    client.force_login(admin_user)
    putin = Person.objects.get(slug="vladimir-putin")
    response = client.post(reverse("admin:articles_person_delete", args=[putin.pk]), {"post": "yes"})
    assert "Cannot delete person" in response.content.decode()
    assert Person.objects.filter(pk=putin.pk).exists()
    assert putin.quotes.count() == 1


def test_a_section_with_articles_cannot_be_deleted(client, admin_user, seed):
    client.force_login(admin_user)
    world = Section.objects.get(slug="world")
    response = client.post(reverse("admin:articles_section_delete", args=[world.pk]), {"post": "yes"})
    assert "Cannot delete section" in response.content.decode()
    assert Article.objects.filter(section=world).exists()


@pytest.mark.parametrize(
    "tags, message",
    [
        ("x" * 101, "longer than 100 characters"),
        ("!!!", "has no letters or digits"),
        ("ok, ---", "has no letters or digits"),
    ],
)
def test_unusable_tags_are_form_errors(client, admin_user, seed, tags, message):
    client.force_login(admin_user)
    url = reverse("admin:articles_article_change", args=[seed.pk])
    data = form_data(client.get(url).content.decode(), "article_form")
    data["tags"] = [tags]
    response = client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert sorted(seed.tags.names()) == sorted(Article.objects.get(pk=seed.pk).tags.names())
    assert "Ukraine" in seed.tags.names()


def test_the_favicon_address_browsers_guess_leads_to_the_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
