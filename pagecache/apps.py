from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        # Connects the receivers that collect what pages show and drop them when it changes.
        from pagecache import changes, keys  # noqa: F401
