from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Editorial"

    def ready(self):
        # Connects the receivers that keep each article's search document current (search) and
        # that drop the cached pages when content changes (caching).
        from articles import caching, search  # noqa: F401
