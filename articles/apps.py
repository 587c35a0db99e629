from django.apps import AppConfig
from taggit.apps import TaggitAppConfig


class ArticlesConfig(AppConfig):
    # The app's own configuration; TopicsConfig below is named in INSTALLED_APPS for taggit.
    default = True
    name = "articles"
    verbose_name = "Editorial"

    def ready(self):
        # Connects the receivers that keep each article's search document current.
        from articles import search  # noqa: F401


class TopicsConfig(TaggitAppConfig):
    """django-taggit, under the name the newsroom uses for its tags in the admin."""

    default = False
    verbose_name = "Topics"
