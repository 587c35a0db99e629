"""
Keys to the content API for a newsroom's preview apps: with one, a client also reads drafts,
scheduled and withdrawn stories. Read-only, issued and revoked by editors in the admin, and kept
only as a SHA-256 digest: the key itself is shown once, when it is issued.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

# What every key starts with, so that a key pasted into the wrong place is recognisable.
KEY_START = "nrk_"
# The key's first characters, kept in clear so that editors can tell keys apart in the admin.
PREFIX_LENGTH = 12
# A key's last use is written at most this often: not one write per request.
USE_RECORDED_EVERY = 60


def digest(key: str) -> str:
    """
    The stored form of a key. A key is 32 random bytes, not a password a person chose: no list of
    guesses reaches it, so a slow password hash would protect nothing and cost every request
    ~100 ms; a plain digest is found by index, and a copy of the table opens nothing.
    """
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def holding(self, key: str):
        """The active key this is, or None."""
        return self.active().filter(key_hash=digest(key)).first()


class ApiKey(models.Model):
    name = models.CharField(
        max_length=100, help_text="Who uses it and for what, e.g. “iOS app, preview builds”."
    )
    prefix = models.CharField(max_length=PREFIX_LENGTH, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API key"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, name: str, user) -> tuple["ApiKey", str]:
        """A new key for ``name``: the row, and the key itself, which nothing keeps."""
        row = cls(name=name, created_by=user)
        key = row.new_key()
        row.save()
        return row, key

    def new_key(self) -> str:
        """Gives this row a new key (saved with it) and returns it: the only time it is readable."""
        key = KEY_START + secrets.token_urlsafe(32)
        self.prefix, self.key_hash = key[:PREFIX_LENGTH], digest(key)
        return key

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def record_use(self) -> None:
        now = timezone.now()
        if self.last_used_at is None or (now - self.last_used_at).total_seconds() >= USE_RECORDED_EVERY:
            ApiKey.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now
