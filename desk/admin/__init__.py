# The admin's modules, by what they manage; importing them registers their ModelAdmins.
from desk.admin import articles, people, quotes, tags  # noqa: F401
