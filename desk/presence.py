"""
Who has an article open in the admin: a notice for editors, not a lock. Kept in the
shared cache (Redis in production), so every app server sees the same editors.

The cache is an aid here, never a condition of editing: when it cannot be read or written (Redis
down or frozen, the cache folder full or read-only), the form opens and saves as ever and says
that who else is editing is unknown. Concurrent saves are checked in the database either way.
"""

import logging

from django.core.cache import cache
from django.utils import timezone
from redis import RedisError

logger = logging.getLogger(__name__)

# An editor who has not reloaded the form for this long is no longer counted as editing.
OPEN_FOR_SECONDS = 15 * 60


def _key(article_id) -> str:
    return f"article-editors:{article_id}"


def others_editing(article_id, user, *, opening: bool = False) -> list[dict] | None:
    """
    The others who have the article open, each as ``{"name": …, "since": …}``; with ``opening``,
    ``user`` is counted among its editors first. None when the cache failed: nobody knows.
    """
    now = timezone.now()
    try:
        editors = {
            user_id: entry
            for user_id, entry in cache.get(_key(article_id), {}).items()
            if (now - entry["since"]).total_seconds() < OPEN_FOR_SECONDS
        }
        if opening:
            editors[user.pk] = {"name": user.get_full_name() or user.get_username(), "since": now}
            cache.set(_key(article_id), editors, OPEN_FOR_SECONDS)
    except (RedisError, OSError):  # Redis's errors; the file cache's are the folder's
        logger.warning("Who is editing article %s is unknown: the cache failed.", article_id, exc_info=True)
        return None
    return [entry for user_id, entry in editors.items() if user_id != user.pk]
