"""
Who has an article open in the admin: a notice for editors, not a lock. Kept in the
shared cache (Redis in production), so every app server sees the same editors.
"""

from django.core.cache import cache
from django.utils import timezone

# An editor who has not reloaded the form for this long is no longer counted as editing.
OPEN_FOR_SECONDS = 15 * 60


def _key(article_id) -> str:
    return f"article-editors:{article_id}"


def note_open(article_id, user) -> None:
    editors = cache.get(_key(article_id), {})
    now = timezone.now()
    editors = {
        user_id: entry
        for user_id, entry in editors.items()
        if (now - entry["since"]).total_seconds() < OPEN_FOR_SECONDS
    }
    editors[user.pk] = {"name": user.get_full_name() or user.get_username(), "since": now}
    cache.set(_key(article_id), editors, OPEN_FOR_SECONDS)


def others_editing(article_id, user) -> list[dict]:
    now = timezone.now()
    return [
        entry
        for user_id, entry in cache.get(_key(article_id), {}).items()
        if user_id != user.pk and (now - entry["since"]).total_seconds() < OPEN_FOR_SECONDS
    ]
