# The admin's modules, by what they manage; importing them registers their ModelAdmins.
from desk.admin import api_keys, articles, front_page, images, people, quotes, sources, tags  # noqa: F401
