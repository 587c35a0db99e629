"""Loading the settings where a person reads the outcome: manage.py and gunicorn's start-up."""

import os
import sys


def load_or_exit() -> None:
    """Load the settings; a missing or malformed one exits with one line that says what to set."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 - loads the settings
    except ImproperlyConfigured as error:
        sys.exit(f"Configuration error: {error}")
