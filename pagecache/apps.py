from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        # Connects the receivers that drop the cached pages when content changes.
        from pagecache import receivers  # noqa: F401
