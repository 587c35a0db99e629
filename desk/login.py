"""Logging in to the admin."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator


class AdminLoginForm(AdminAuthenticationForm):
    """
    A username no account can have is a form error, before anything looks it up. Django's login
    form does not check the username's length, and django-axes records every failed attempt's
    username in a 255-character column: on PostgreSQL a longer one was a 500.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))
