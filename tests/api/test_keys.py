"""
Keys for preview apps: issued by editors in the admin and shown once, stored as a digest,
revocable, read-only; with one, unpublished stories are readable, without one never.
"""

import hashlib

import pytest
from django.test import Client as DjangoClient
from django.urls import reverse

from api.models import ApiKey
from tests.api.conftest import HIDDEN
from tests.conftest import SEED_SLUG
from tests.html_tree import parse_html

pytestmark = pytest.mark.django_db(transaction=True)


def issue_in_admin(user) -> tuple[ApiKey, str]:
    desk = DjangoClient()
    desk.force_login(user)
    response = desk.post(reverse("admin:api_apikey_add"), {"name": "iOS preview"})
    assert response.status_code == 200
    field = parse_html(response.content.decode()).find("input", id="api-key")
    return ApiKey.objects.get(name="iOS preview"), field.attrs["value"]


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def test_an_editor_issues_a_key_shown_once_and_stored_only_as_its_digest(newsroom, editor):
    key, secret = issue_in_admin(editor)

    assert secret.startswith("nrk_") and len(secret) > 40
    assert key.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert key.prefix == secret[:12] and key.created_by == editor
    desk = DjangoClient()
    desk.force_login(editor)
    change_page = desk.get(reverse("admin:api_apikey_change", args=[key.pk])).content.decode()
    listing = desk.get(reverse("admin:api_apikey_changelist")).content.decode()
    assert secret not in change_page and secret not in listing
    assert key.prefix in listing


def test_a_reporter_cannot_issue_keys(newsroom, reporter):
    desk = DjangoClient()
    desk.force_login(reporter)
    assert desk.post(reverse("admin:api_apikey_add"), {"name": "Sneaky"}).status_code == 403
    assert not ApiKey.objects.exists()


@pytest.mark.parametrize("kind", sorted(HIDDEN))
def test_with_a_key_unpublished_stories_are_readable(http, newsroom, editor, kind):
    _key, secret = issue_in_admin(editor)

    article = http.json(f"/api/articles/{HIDDEN[kind]}/", headers=bearer(secret))

    assert article["status"] == kind
    assert article["body"].endswith("Unpublished words nobody may read.")
    quotes = http.json("/api/quotes/", params={"speaker": "hidden-speaker"}, headers=bearer(secret))["items"]
    assert {quote["article"]["slug"] for quote in quotes} == set(HIDDEN.values())
    assert http.get(f"/api/articles/{HIDDEN[kind]}/").status_code == 404


def test_a_key_records_its_use(http, newsroom, editor):
    key, secret = issue_in_admin(editor)
    assert key.last_used_at is None
    http.json("/api/sections/", headers=bearer(secret))
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_a_revoked_key_is_refused_at_once(http, newsroom, editor):
    key, secret = issue_in_admin(editor)
    assert http.get(f"/api/articles/{HIDDEN['draft']}/", headers=bearer(secret)).status_code == 200
    desk = DjangoClient()
    desk.force_login(editor)

    desk.post(reverse("admin:api_apikey_change", args=[key.pk]), {"name": key.name, "revoke": "on"})

    key.refresh_from_db()
    assert key.revoked_at is not None
    refused = http.get(f"/api/articles/{HIDDEN['draft']}/", headers=bearer(secret))
    assert refused.status_code == 401
    assert "revoked" in refused.json()["detail"]


def test_keys_are_revoked_not_deleted(newsroom, editor):
    key, _secret = issue_in_admin(editor)
    desk = DjangoClient()
    desk.force_login(editor)
    desk.post(reverse("admin:api_apikey_changelist"), {"action": "revoke_keys", "_selected_action": [key.pk]})
    key.refresh_from_db()
    assert key.revoked
    assert desk.get(reverse("admin:api_apikey_delete", args=[key.pk])).status_code == 403


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_the_api_is_read_only_even_with_a_key(http, newsroom, editor, method):
    _key, secret = issue_in_admin(editor)
    response = http.request(
        method, f"/api/articles/{SEED_SLUG}/", headers=bearer(secret), json={"headline": "x"}
    )
    assert response.status_code in (403, 405)
    newsroom.refresh_from_db()
    assert newsroom.headline != "x"


def test_an_unknown_key_is_refused_not_treated_as_anonymous(http, newsroom):
    response = http.get("/api/articles/", headers=bearer("nrk_" + "x" * 43))
    assert response.status_code == 401
    assert "unknown or revoked" in response.json()["detail"]
