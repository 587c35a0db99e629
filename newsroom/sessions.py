"""
The session engine: Django's database sessions, with forged session keys ignored.

Django makes session keys of lowercase letters and digits. A cookie can carry anything, though,
a NUL among it (as an octal escape in a quoted value), and PostgreSQL refuses a query with a NUL
in it with an error, which would turn a forged cookie into a 500. A key Django could not have
made is treated as no session, before any query.
"""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

_VALID_KEY_CHARS = frozenset(VALID_KEY_CHARS)


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        return bool(super()._validate_session_key(key)) and len(key) <= 40 and set(key) <= _VALID_KEY_CHARS
