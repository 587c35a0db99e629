"""
Settings for Newsroom, read from the environment.

With nothing set, the site runs locally on SQLite with DEBUG on. Production sets
DEBUG=false, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and (optionally) CACHE_URL.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean: use true or false.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a whole number: use digits only, e.g. {default}."
        ) from None


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


PARTS = ("story", "read-next", "person-lists")


def kept_parts(value: str) -> tuple[str, ...]:
    """KEPT_PARTS: the parts named, comma-separated; "none"; every part when empty."""
    names = tuple(name.strip() for name in value.split(",") if name.strip())
    if not names:
        return PARTS
    if names == ("none",):
        return ()
    if unknown := [name for name in names if name not in PARTS]:
        raise ImproperlyConfigured(
            f"KEPT_PARTS names no part called {', '.join(unknown)}: use {', '.join(PARTS)} "
            "(comma-separated), or none."
        )
    return names


# Pages kept in files at most, before Django's file cache drops a third of them. Each page it
# stores lists the folder, so the folder is kept small; sites bigger than this use Redis.
FILE_CACHE_ENTRIES = 2000
# How long to wait for Redis to connect, or to answer, before serving without the cache. Redis
# answers in well under a millisecond; a tenth of a second allows for a busy one.
REDIS_TIMEOUT_MS = 100


def cache_from_url(url: str) -> dict:
    """Django's CACHES entry for CACHE_URL: redis://…, file:///folder, locmem:// or dummy://."""
    parts = urlsplit(url)
    scheme = parts.scheme
    if scheme in {"redis", "rediss"}:
        # Django's Redis backend, keeping its client between operations (pagecache/redis_backend.py).
        # A Redis that does not answer must not hold a request for longer than a cache is worth:
        # redis-py waits for ever by default. Timeouts the address sets itself (?socket_timeout=)
        # take precedence.
        milliseconds = env_int("REDIS_TIMEOUT_MS", REDIS_TIMEOUT_MS)
        if milliseconds <= 0:
            raise ImproperlyConfigured(
                f"REDIS_TIMEOUT_MS={milliseconds} is not a wait: use a number of milliseconds, e.g. 100."
            )
        seconds = milliseconds / 1000
        return {
            "BACKEND": "pagecache.redis_backend.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": seconds, "socket_timeout": seconds},
        }
    if scheme == "file":
        if parts.netloc or not parts.path.startswith("/"):
            raise ImproperlyConfigured(
                f"CACHE_URL={url!r} is not a folder: "
                "use file:// and an absolute path, e.g. file:///var/cache/newsroom."
            )
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": parts.path,
            "OPTIONS": {"MAX_ENTRIES": FILE_CACHE_ENTRIES},
        }
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(
        f"CACHE_URL={url!r} is not supported: "
        "use redis://host:port/db, file:///folder, locmem:// or dummy://."
    )


DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: set the SECRET_KEY environment variable "
            "(a long random string) when DEBUG is off."
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS is not set: set it to the site's host names, comma-separated "
            "(e.g. ALLOWED_HOSTS=news.example.com), when DEBUG is off."
        )
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # full-text search (only used on PostgreSQL; harmless on SQLite)
    "django.contrib.sitemaps",
    "articles.apps.TopicsConfig",  # django-taggit, titled "Topics" in the admin
    "reversion",
    "axes",
    "csp",
    "corsheaders",
    # Django Ninja's templates and static files: the API docs' Swagger UI, served from our own static.
    "ninja",
    "images",
    "articles",
    "sources",
    "pagecache",
    "public",
    "copydesk",
    "desk",
    "synthetic",
    "api",
]

MIDDLEWARE = [
    # Outermost: a HEAD answer drops its body after every layer has used it.
    "newsroom.head_requests.HeadWithoutBodyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # CORS headers on /api/ only (CORS_URLS_REGEX), on every answer there, cached, refused or 304.
    "corsheaders.middleware.CorsMiddleware",
    # Static files first, as WhiteNoise asks: they are ours, never a reader's upload, and need
    # none of what follows.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages: a 304 for a conditional request, and anonymous readers' pages from the cache
    # (pagecache.middleware). A cached page is stored with every header the layers below gave it,
    # its Content-Security-Policy among them, so serving it runs none of them: no session, no
    # database, no policy built again.
    # The API's rate limit and its refusal of unknown parameters (api.middleware) come before the
    # cache, so that they hold for answers from it too.
    "api.middleware.ApiGuardMiddleware",
    "pagecache.middleware.ConditionalGetMiddleware",
    "pagecache.middleware.PublicPageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "newsroom.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers locked-out login attempts.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "public.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast while the database is unreachable (a 503 page) instead of hanging workers.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    # Pages run short queries, many at once: PostgreSQL's JIT compiler, and starting parallel
    # workers for one query (milliseconds each, while other requests want the cores), would cost
    # more time than they save.
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off -c max_parallel_workers_per_gather=0")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# With nothing set, pages are kept in files in the project folder: every process on the machine
# shares them (the server, its workers, and the commands and shell that change content), so an
# edit made by any of them drops the pages for all. Memory (locmem://) is one process's own.
CACHES = {
    "default": {
        **cache_from_url(os.environ.get("CACHE_URL") or f"file://{BASE_DIR / '.cache' / 'pages'}"),
        # Sites that share one Redis keep apart by this.
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
    }
}
# PAGE_CACHE=false keeps no pages in this cache (pages still carry their keys for an HTTP cache in
# front, and everything else still uses the cache): what the benchmark's cold pages measure.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
# Parts of an article's page kept in the same cache by the keys of what they show, so a page
# dropped because one part changed makes only that part again (pagecache.kept).
KEPT_PARTS = kept_parts(os.environ.get("KEPT_PARTS", ""))
# With Redis, each process also keeps the pages it served lately in its own memory, up to this
# many megabytes: served from there, a page costs no round trip. An article page is about 20 KB.
PAGE_CACHE_NEAR_BYTES = env_int("PAGE_CACHE_NEAR_MB", 64) * 1024 * 1024

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # django-axes locks out an account and address after repeated failed logins.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# How many reverse proxies stand in front of gunicorn, each appending the address it got the
# request from to X-Forwarded-For; login throttling counts attempts by the client's address
# (newsroom.client_address.client_address), never by what the client itself put in that header.
PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "newsroom.client_address.client_address"

# The admin's address; change it to keep it away from scripted guessing.
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"

# Where a login goes when its ?next= is missing or refused (another site's address): the desk.
# Django's defaults, /accounts/profile/ and /accounts/login/, are no pages here.
LOGIN_REDIRECT_URL = "admin:index"
LOGIN_URL = "admin:login"

# Sessions in the database, shared by every app server; a forged session key is ignored.
SESSION_ENGINE = "newsroom.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)  # a working day
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# HTTPS and security headers. In production (DEBUG off) they are on; each can be turned off
# for a local production-like run over plain HTTP (see `make serve`).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# A load balancer's health check reaches gunicorn over plain HTTP: it gets the answer, not a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_HTTPS_PROXY", default=False):
    # Only behind a proxy that sets this header itself (and strips it from clients).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Media: uploaded images and their renditions (images/), through Django's storage API. With
# nothing set, files in MEDIA_ROOT, served at /media/ by `make run` and by nginx under `make serve`;
# with MEDIA_STORAGE=s3 (or AWS_STORAGE_BUCKET_NAME set), an S3-compatible object store through
# django-storages (docs/operators.md, "Media storage").
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "").strip().lower() or (
    "s3" if os.environ.get("AWS_STORAGE_BUCKET_NAME") else "local"
)
# Uploads are hostile input (images.uploads): a file bigger than this, or a picture of more pixels
# (a decompression bomb is a small file that declares huge dimensions), is refused with a message.
IMAGE_MAX_UPLOAD_BYTES = env_int("IMAGE_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 50_000_000)


def s3_media_storage() -> dict:
    """The default storage on an S3-compatible object store, from AWS_* variables."""
    bucket = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
    if not bucket:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME: set it to the bucket that holds the images."
        )
    options = {
        "bucket_name": bucket,
        # Media is public: plain URLs, no signatures that expire in cached pages.
        "querystring_auth": False,
        "default_acl": os.environ.get("AWS_DEFAULT_ACL") or None,
        "file_overwrite": False,
        # Rendition names change with their content, so a browser or CDN may keep them for a year.
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
    }
    for option, name in [
        ("endpoint_url", "AWS_S3_ENDPOINT_URL"),
        ("custom_domain", "AWS_S3_CUSTOM_DOMAIN"),
        ("region_name", "AWS_S3_REGION_NAME"),
        ("access_key", "AWS_ACCESS_KEY_ID"),
        ("secret_key", "AWS_SECRET_ACCESS_KEY"),
        ("addressing_style", "AWS_S3_ADDRESSING_STYLE"),
    ]:
        if os.environ.get(name):
            options[option] = os.environ[name]
    if os.environ.get("AWS_S3_URL_PROTOCOL"):
        options["url_protocol"] = os.environ["AWS_S3_URL_PROTOCOL"]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def media_origins(storage: dict) -> list[str]:
    """The origins images are served from when it is not the site itself, for the CSP's img-src."""
    options = storage.get("OPTIONS", {})
    if options.get("custom_domain"):
        return [f"{options.get('url_protocol', 'https:')}//{options['custom_domain']}"]
    if options.get("endpoint_url"):
        parts = urlsplit(options["endpoint_url"])
        return [f"{parts.scheme}://{parts.netloc}"]
    if "bucket_name" in options:
        return [f"https://{options['bucket_name']}.s3.amazonaws.com", "https://*.amazonaws.com"]
    return []


if MEDIA_STORAGE == "s3":
    MEDIA_STORAGE_BACKEND = s3_media_storage()
elif MEDIA_STORAGE == "local":
    MEDIA_STORAGE_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE={MEDIA_STORAGE!r} is not supported: use local or s3.")
MEDIA_ORIGINS = media_origins(MEDIA_STORAGE_BACKEND)

# No inline script anywhere: JSON-LD blocks are data, not script, and are not blocked.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The admin's widgets set a few inline styles; styles cannot run code.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        # Only the players an [[embed:…]] loads on a reader's click (bodytext.embeds.PLAYER_HOSTS).
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic puts the fingerprinted, compressed files WhiteNoise serves (or a proxy).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": MEDIA_STORAGE_BACKEND,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
# Backups (dumpdata) keep times to the microsecond: a restore gives back exactly what was dumped.
SERIALIZATION_MODULES = {"json": "newsroom.exact_json"}

TAGGIT_CASE_INSENSITIVE = True

# The publication's name as readers see it in titles, feeds and metadata.
SITE_NAME = os.environ.get("SITE_NAME", "Newsroom")

# How long one search may take on PostgreSQL (articles.search): its queries' statement timeout,
# and none starts after it; a search that needs more ends in a page saying it was too broad.
# 0 turns the limit off.
SEARCH_STATEMENT_TIMEOUT_MS = env_int("SEARCH_STATEMENT_TIMEOUT_MS", 800)

# The content API (docs/api.md): browsers on any site may read it (it is public and sends no
# cookies), and each client may make API_RATE_LIMIT requests a minute (0 turns the limit off).
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_HEADERS = ("authorization", "if-none-match", "if-modified-since")
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Retry-After")
CORS_PREFLIGHT_MAX_AGE = 86400
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 300)


def http_cache_purge(entries: list[str]) -> list[dict]:
    """The HTTP caches in front that pagecache.edge purges, from HTTP_CACHE_PURGE's entries."""
    backends = []
    for entry in entries:
        engine, _, where = entry.partition(":")
        engine = engine.strip().lower()
        if engine == "varnish" and urlsplit(where).scheme in {"http", "https"} and urlsplit(where).hostname:
            backends.append({"engine": "varnish", "url": where})
        elif engine in {"fastly", "cloudflare"} and where:
            token_name = {"fastly": "FASTLY_API_TOKEN", "cloudflare": "CLOUDFLARE_API_TOKEN"}[engine]
            if not os.environ.get(token_name):
                raise ImproperlyConfigured(
                    f"HTTP_CACHE_PURGE has {engine} but {token_name} is not set: set it to an API token "
                    "allowed to purge."
                )
            api = {"fastly": "https://api.fastly.com", "cloudflare": "https://api.cloudflare.com/client/v4"}
            place = "service" if engine == "fastly" else "zone"
            token = os.environ[token_name]
            backends.append({"engine": engine, place: where, "token": token, "api": api[engine]})
        else:
            raise ImproperlyConfigured(
                f"HTTP_CACHE_PURGE entry {entry!r} is not understood: use varnish:http://host:port, "
                "fastly:SERVICE_ID or cloudflare:ZONE_ID, comma-separated."
            )
    return backends


# Varnish or a CDN in front (docs/operators.md, "Varnish or a CDN in front"): pages carry the keys
# of what they show, and an edit purges them there too. None by default. Varnish is told while the
# edit's request waits, for at most HTTP_CACHE_PURGE_TIMEOUT_MS; what fails is retried.
HTTP_CACHE_PURGE = http_cache_purge(env_list("HTTP_CACHE_PURGE"))
HTTP_CACHE_PURGE_TIMEOUT_MS = env_int("HTTP_CACHE_PURGE_TIMEOUT_MS", 500)
if HTTP_CACHE_PURGE_TIMEOUT_MS <= 0:
    raise ImproperlyConfigured(
        f"HTTP_CACHE_PURGE_TIMEOUT_MS={HTTP_CACHE_PURGE_TIMEOUT_MS} is not a wait: use a number of "
        "milliseconds, e.g. 500."
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
