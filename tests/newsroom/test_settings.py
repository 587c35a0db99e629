"""Settings come from the environment, with safe local defaults and loud production failures."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    environment = {
        key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "SECRET_KEY", "DEBUG"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT, env=environment, capture_output=True, text=True
    )


def test_with_nothing_set_the_site_runs_on_sqlite_in_the_project_folder_with_debug_on():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(settings.DEBUG, d['ENGINE'], d['NAME'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == ["True", "django.db.backends.sqlite3", str(PROJECT / "db.sqlite3")]


def test_database_url_switches_to_postgresql():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default']; print(d['ENGINE'], d['NAME'])",
        DATABASE_URL="postgres://editor@db.example.com:5432/newsroom",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["django.db.backends.postgresql", "newsroom"]


@pytest.mark.parametrize(
    "env, missing",
    [
        ({"DEBUG": "false", "ALLOWED_HOSTS": "news.example.com"}, "SECRET_KEY"),
        ({"DEBUG": "false", "SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS"),
    ],
)
def test_production_without_a_required_setting_fails_at_start_up_with_one_line(env, missing):
    result = manage("check", **env)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Configuration error: {missing} is not set")


def test_a_malformed_boolean_is_refused_with_one_line():
    result = manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert result.stderr.strip() == "Configuration error: DEBUG='maybe' is not a boolean: use true or false."


def test_with_nothing_set_pages_are_cached_in_a_folder_every_process_here_shares():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; c = settings.CACHES['default']; "
        "print(c['BACKEND'], c['LOCATION'])",
        CACHE_URL="",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == [
        "django.core.cache.backends.filebased.FileBasedCache",
        str(PROJECT / ".cache" / "pages"),
    ]


@pytest.mark.parametrize("url", ["file://pages", "file://cache.example.com/var/cache"])
def test_a_cache_folder_that_is_not_an_absolute_path_is_refused_with_one_line(url):
    result = manage("check", CACHE_URL=url)
    assert result.returncode != 0
    assert result.stderr.strip() == (
        f"Configuration error: CACHE_URL={url!r} is not a folder: "
        "use file:// and an absolute path, e.g. file:///var/cache/newsroom."
    )


@pytest.mark.parametrize(
    "name, default", [("PROXY_COUNT", 0), ("CONN_MAX_AGE", 60), ("SESSION_COOKIE_AGE", 28800)]
)
def test_a_number_that_is_not_one_is_refused_with_one_line(name, default):
    result = manage("check", **{name: "1  # a comment after the value"})
    assert result.returncode != 0
    assert result.stderr.strip() == (
        f"Configuration error: {name}='1  # a comment after the value' is not a whole number: "
        f"use digits only, e.g. {default}."
    )


def test_gunicorn_stops_at_a_bad_setting_with_one_line_not_a_traceback_per_worker():
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment.update(
        DEBUG="false", SECRET_KEY="k" * 50, ALLOWED_HOSTS="x", PORT="0", CACHE_URL="memcached://x"
    )
    result = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "newsroom/gunicorn.conf.py", "newsroom.wsgi"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "Configuration error: CACHE_URL='memcached://x' is not supported: "
        "use redis://host:port/db, file:///folder, locmem:// or dummy://."
    )
