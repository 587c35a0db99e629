"""
Load and faults: the site as production runs it (gunicorn, DEBUG off, PostgreSQL, Redis) under
50 concurrent readers while two editors keep editing and publishing through the admin; then the
same with PostgreSQL stopped and started again in the middle.

Phase 1 (load): readers request a mix of public pages (articles, front page, sections, tags,
people, quotes, search, feeds, sitemap) as fast as they can. Two editor processes log in to the
admin and edit the same few "desk" articles over and over through the real change form (so they
collide, and the stale-save check refuses one of them, who opens the article again and redoes
the edit); one also writes and publishes new articles. Every edit the admin acknowledged (a
redirect after the save) must be in the article at the end: no lost edit. Expected: no 5xx.

Phase 2 (faults): the same load; PostgreSQL is stopped (``pg_ctlcluster … stop -m fast``) and
started again a few seconds later. While it is down, pages must fail fast with the 503 page
(or come from the Redis page cache); after it is back, the site must recover by itself (Django's
connection health checks) within seconds. A monitor polls /healthz every 100 ms.

    .venv/bin/python bench/load_and_faults.py                # both phases (restarts PostgreSQL!)
    .venv/bin/python bench/load_and_faults.py --no-outage    # phase 1 only
    .venv/bin/python bench/load_and_faults.py --clients 20 --seconds 30 --outage-seconds 5

It prepares its own database (``DATABASE_URL``, default newsroom_load: migrate, collectstatic,
the seed, a synthetic archive from ``generate_archive``, two editor accounts and the desk
articles), starts gunicorn with newsroom/gunicorn.conf.py on ``--port`` and stops it at the end;
it prints a summary and writes it as JSON (``--output``). Stopping PostgreSQL disrupts anything
else using it on this machine: the outage is brief, and PostgreSQL is always started again.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.html_forms import form_data  # noqa: E402  (reads a form the way a browser submits it)

PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
ARTIFACTS = ROOT / "test-artifacts" / "load-and-faults"
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
UNAVAILABLE_PAGE = b"Back in a moment"
EDITORS = ("load-editor-a", "load-editor-b")
DESK_ARTICLES = 3
REQUEST_TIMEOUT = 30

# How often readers ask for each kind of page (weights).
READER_MIX = {
    "article": 50,
    "front": 10,
    "section": 7,
    "tag": 6,
    "person": 8,
    "people": 2,
    "quotes": 3,
    "search": 8,
    "feed": 5,
    "sitemap": 1,
}

SETUP = """
import json, random
from datetime import timedelta
from django.contrib.auth.models import Group, User
from django.utils import timezone
from taggit.models import Tag
from articles.models import Article, Author, Person, Section

password = {password!r}
editors = Group.objects.get(name="Editor")
for name in {editors!r}:
    user, _ = User.objects.get_or_create(username=name)
    user.is_staff = True
    user.set_password(password)
    user.save()
    user.groups.add(editors)
    Author.objects.get_or_create(user=user, defaults={{"display_name": name.title(), "slug": name}})

section = Section.objects.order_by("order", "pk").first()
desk = []
for number in range({desk_articles}):
    article, _ = Article.objects.update_or_create(
        slug=f"load-desk-{{number}}",
        defaults={{
            "headline": f"Desk story {{number}}: the story the editors keep current",
            "dek": "Edited over and over during the load test.",
            "body": "## Latest\\n\\nThe desk keeps this story current.",
            "section": section,
            "byline": "Load desk",
            "status": "published",
            "published_at": timezone.now() - timedelta(hours=1),
        }},
    )
    article.tags.set(["Load test"])
    desk.append({{"id": article.pk, "url": article.get_absolute_url()}})

published = Article.objects.published()
rng = random.Random(7)
recent = [a.get_absolute_url() for a in published.order_by("-published_at")[:200]]
older = list(published.order_by("?").values_list("slug", flat=True)[:400])
articles = recent + [f"/articles/{{slug}}/" for slug in older]
words = sorted({{
    word.lower().strip(".,:;“”‘’'\\"")
    for headline in published.order_by("?").values_list("headline", flat=True)[:500]
    for word in headline.split()
    if len(word) > 4 and word.isalpha()
}})
print(json.dumps({{
    "section_id": section.pk,
    "desk": desk,
    "article": articles,
    "section": [s.get_absolute_url() for s in Section.objects.all()],
    "tag": [
        f"/tags/{{t.slug}}/"
        for t in Tag.objects.filter(
            articles_taggedarticle_items__content_object__in=published
        ).distinct()[:100]
    ],
    "person": [p.get_absolute_url() for p in Person.objects.public().order_by("?")[:200]],
    "search_words": words[:300],
    "synthetic": Article.objects.filter(slug__startswith="synthetic-").count(),
}}))
"""

FINAL_BODIES = """
import json
from articles.models import Article
print(json.dumps({{str(a.pk): a.body for a in Article.objects.filter(pk__in={ids!r})}}))
"""


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def production_environment(args) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",  # plain HTTP on this machine; a proxy terminates TLS in production
        SECURE_COOKIES="false",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=args.database_url,
        CACHE_URL=args.cache_url,
        BIND=f"127.0.0.1:{args.port}",
        GUNICORN_ACCESS_LOG="",
        LOG_LEVEL="WARNING",
        LOGIN_FAILURE_LIMIT="1000",
        # Its own collected static files: collectstatic never rewrites the project's under another run.
        STATIC_ROOT=str(ARTIFACTS / "static"),
    )
    return environment


def manage(environment: dict[str, str], *arguments: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *arguments], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(arguments)[:60]} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def prepare(args, environment: dict[str, str], password: str) -> dict:
    database = urlsplit(args.database_url)
    name = database.path.lstrip("/")
    exists = subprocess.run(
        [
            "psql",
            args.database_url.replace(f"/{name}", "/postgres"),
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
        ],
        capture_output=True,
        text=True,
    )
    if exists.stdout.strip() != "1":
        say(f"Creating database {name}")
        subprocess.run(
            ["psql", args.database_url.replace(f"/{name}", "/postgres"), "-c", f'CREATE DATABASE "{name}"'],
            check=True,
            capture_output=True,
        )
    say("Migrating, collecting static files, loading the seed")
    manage(environment, "migrate", "--noinput", "-v0")
    manage(environment, "collectstatic", "--noinput", "-v0")
    manage(environment, "loaddata", "seed", "-v0")

    def set_up_site() -> dict:
        script = SETUP.format(password=password, editors=EDITORS, desk_articles=DESK_ARTICLES)
        return json.loads(manage(environment, "shell", "-c", script).strip().splitlines()[-1])

    site = set_up_site()
    if site["synthetic"] < args.articles:
        say(f"Generating a synthetic archive of {args.articles} articles")
        manage(environment, "generate_archive", "--articles", str(args.articles), "--replace", "-v0")
        site = set_up_site()
    return site


# HTTP.


def http_request(port: int, method: str, path: str, headers=None, body=None):
    """One request on a new connection (gunicorn's sync workers close each one): status, headers, body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request(method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


class AdminSession:
    """An editor's browser: cookies, the CSRF token, real admin forms."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data=None):
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        status, response_headers, content = http_request(self.port, method, path, headers, body)
        for header in response_headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return status, response_headers, content.decode("utf-8", "replace")

    def login(self, username: str, password: str) -> None:
        for _ in range(120):
            try:
                status, _, html = self.request("GET", "/admin/login/")
                if status == 200:
                    token = CSRF_TOKEN.search(html).group(1)
                    data = {
                        "csrfmiddlewaretoken": token,
                        "username": username,
                        "password": password,
                        "next": "/admin/",
                    }
                    status, _, _ = self.request("POST", "/admin/login/", data)
                    if status == 302:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{username} could not log in")

    def edit(self, article_id: int, marker: str) -> str:
        """Open the change form, add a paragraph, save: "saved", "conflict", "unavailable" or "error …"."""
        path = f"/admin/articles/article/{article_id}/change/"
        status, _, html = self.request("GET", path)
        if status != 200:
            return "unavailable" if status == 503 else f"error {status} opening"
        data = form_data(html, "article_form")
        data["body"] = [data["body"][0] + f"\n\n{marker}."]
        status, _, html = self.request("POST", path, data)
        if status == 302:
            return "saved"
        if status == 200 and "after you opened it" in html:
            return "conflict"
        return "unavailable" if status == 503 else f"error {status} saving"

    def publish_new(self, slug: str, section_id: int) -> str:
        """Write a new article in the add form and publish it with the workflow button."""
        status, _, html = self.request("GET", "/admin/articles/article/add/")
        if status != 200:
            return "unavailable" if status == 503 else f"error {status} opening"
        data = form_data(html, "article_form")
        data.update(
            headline=[f"Load test story {slug}"],
            slug=[slug],
            dek=["Written and published by the load test's editor."],
            body=["## What happened\n\nThe editor wrote this during the load test."],
            section=[str(section_id)],
            byline=["Load desk"],
            tags=["Load test"],
            _continue=["1"],
        )
        status, headers, _ = self.request("POST", "/admin/articles/article/add/", data)
        if status != 302:
            return "unavailable" if status == 503 else f"error {status} adding"
        article_id = re.search(r"/article/(\d+)/change/", headers["Location"]).group(1)
        transition = f"/admin/articles/article/{article_id}/workflow/publish/"
        for _ in range(60):
            status, _, html = self.request("GET", transition)
            if status == 200:
                token = CSRF_TOKEN.search(html).group(1)
                status, _, _ = self.request("POST", transition, {"csrfmiddlewaretoken": token, "comment": ""})
                if status == 302:
                    return "published"
            time.sleep(0.5)
        return f"error {status} publishing"


def editor(
    name: str, phase: str, password: str, port: int, site: dict, stop_at: float, publishes: bool, results
):
    """An editor process: edits the desk articles (retrying refused or failed saves) and publishes."""
    try:
        results.put(edit_and_publish(name, phase, password, port, site, stop_at, publishes))
    except Exception as error:  # Reported in the summary rather than lost with the process.
        results.put({"name": name, "stats": {"crashed": repr(error)}, "saved": [], "published": []})


def edit_and_publish(name, phase, password, port, site, stop_at, publishes) -> dict:
    session = AdminSession(port)
    session.login(name, password)
    stats = Counter()
    saved: list[tuple[int, str]] = []
    published: list[str] = []
    number = 0
    while time.monotonic() < stop_at:
        number += 1
        article = site["desk"][number % len(site["desk"])]
        marker = f"Edit {name} {phase}-{number}"
        for _attempt in range(200):
            try:
                outcome = session.edit(article["id"], marker)
            except OSError:
                outcome = "unavailable"
            stats[outcome.split()[0]] += 1
            if outcome == "saved":
                saved.append((article["id"], marker))
                # Readers see it at once: the page cache was dropped by the save.
                try:
                    status, _, content = http_request(port, "GET", article["url"])
                except OSError as error:
                    status, content = type(error).__name__, b""
                if status != 200:
                    stats[f"page {status} right after the save"] += 1
                else:
                    stats["visible at once" if marker.encode() in content else "not yet visible"] += 1
                break
            if outcome.startswith("error"):
                stats[outcome] += 1
            time.sleep(0.05 if outcome == "conflict" else 0.5)
        if publishes and number % 8 == 0:
            slug = f"load-{name}-{int(time.time() * 1000)}"
            try:
                outcome = session.publish_new(slug, site["section_id"])
            except OSError:
                outcome = "unavailable"
            stats[f"publish {outcome}"] += 1
            if outcome == "published":
                published.append(slug)
                try:
                    status = http_request(port, "GET", f"/articles/{slug}/")[0]
                except OSError as error:
                    status = type(error).__name__
                stats["published and public" if status == 200 else f"published but {status}"] += 1
    return {"name": name, "stats": dict(stats), "saved": saved, "published": published}


# Readers.


def reader_paths(site: dict, rng: random.Random):
    kinds, weights = zip(*READER_MIX.items(), strict=True)
    feeds = ["/feeds/latest/rss/", "/feeds/latest/atom/"] + [f"{url}rss/" for url in site["section"]]
    while True:
        kind = rng.choices(kinds, weights)[0]
        if kind in ("article", "section", "tag", "person"):
            yield kind, rng.choice(site[kind] or ["/"])
        elif kind == "front":
            yield kind, "/"
        elif kind == "people":
            yield kind, f"/people/?page={rng.randint(1, 5)}"
        elif kind == "quotes":
            yield kind, f"/quotes/?page={rng.randint(1, 3)}"
        elif kind == "search":
            words = rng.sample(site["search_words"], k=min(len(site["search_words"]), rng.randint(1, 2)))
            yield kind, "/search/?" + urlencode({"q": " ".join(words)})
        elif kind == "feed":
            yield kind, rng.choice(feeds)
        else:
            yield kind, "/sitemap.xml"


def reader(port: int, site: dict, seed: int, stop_at: float, records: list) -> None:
    paths = reader_paths(site, random.Random(seed))
    while time.monotonic() < stop_at:
        kind, path = next(paths)
        started = time.monotonic()
        try:
            status, _, content = http_request(port, "GET", path)
            page = status != 503 or UNAVAILABLE_PAGE in content
        except OSError as error:
            status, page = f"{type(error).__name__}", False
        records.append((started, time.monotonic() - started, status, page, kind))


def health_monitor(port: int, stop: threading.Event, records: list) -> None:
    while not stop.is_set():
        started = time.monotonic()
        try:
            status, _, _ = http_request(port, "GET", "/healthz")
        except OSError as error:
            status = type(error).__name__
        records.append((started, time.monotonic() - started, status))
        time.sleep(0.1)


# PostgreSQL.


class PostgreSQL:
    """The cluster serving the database: pg_isready, and pg_ctlcluster to stop and start it."""

    def __init__(self, cluster: str, database_url: str):
        self.version = sorted(os.listdir("/etc/postgresql"))[-1]
        self.cluster = cluster
        self.port = str(urlsplit(database_url).port or 5432)

    def ready(self) -> bool:
        return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", self.port]).returncode == 0

    def ctl(self, action: str, *options: str) -> None:
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.cluster, action, *options],
            check=True,
            capture_output=True,
        )

    def ensure_running(self) -> None:
        if not self.ready():
            self.ctl("start")
        while not self.ready():
            time.sleep(0.05)

    def outage(self, start_after: float, down_for: float, timeline: dict) -> None:
        """Stop PostgreSQL after ``start_after`` seconds, start it again ``down_for`` seconds later."""
        time.sleep(start_after)
        timeline["stopping"] = time.monotonic()
        try:
            self.ctl("stop", "-m", "fast")
            timeline["stopped"] = time.monotonic()
            time.sleep(down_for)
        finally:
            timeline["starting"] = time.monotonic()
            self.ensure_running()
            timeline["ready"] = time.monotonic()


# Summaries.


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def milliseconds(value: float | None) -> float | None:
    return None if value is None else round(value * 1000, 1)


def summarize(records: list, seconds: float) -> dict:
    statuses = Counter(str(status) for _, _, status, _, _ in records)
    latencies = [latency for _, latency, _, _, _ in records]
    server_errors = sum(count for status, count in statuses.items() if status.startswith("5"))
    return {
        "requests": len(records),
        "requests_per_second": round(len(records) / seconds, 1),
        "statuses": dict(sorted(statuses.items())),
        "5xx": server_errors,
        "5xx_other_than_503": server_errors - statuses.get("503", 0),
        "503_without_the_503_page": sum(1 for _, _, status, page, _ in records if status == 503 and not page),
        "connection_errors": sum(count for status, count in statuses.items() if not status[0].isdigit()),
        "latency_ms": {
            "p50": milliseconds(percentile(latencies, 0.50)),
            "p95": milliseconds(percentile(latencies, 0.95)),
            "p99": milliseconds(percentile(latencies, 0.99)),
            "max": milliseconds(max(latencies, default=None)),
        },
        "by_kind": {
            kind: {
                "requests": count,
                "p50_ms": milliseconds(percentile([r[1] for r in records if r[4] == kind], 0.5)),
            }
            for kind, count in Counter(r[4] for r in records).most_common()
        },
    }


def run_phase(args, phase: str, site: dict, password: str, seconds: float, postgresql=None) -> dict:
    """Readers, editors and a health monitor for ``seconds``; with ``postgresql``, an outage in it."""
    with_outage = postgresql is not None
    records: list = []
    health: list = []
    timeline: dict = {}
    started = time.monotonic()
    stop_at = started + seconds
    results = multiprocessing.Queue()
    editors = [
        multiprocessing.Process(
            target=editor,
            args=(name, phase, password, args.port, site, stop_at, number == 0, results),
            daemon=True,
        )
        for number, name in enumerate(EDITORS)
    ]
    for process in editors:
        process.start()
    readers = [
        threading.Thread(target=reader, args=(args.port, site, number, stop_at, records), daemon=True)
        for number in range(args.clients)
    ]
    stop_monitor = threading.Event()
    monitor = threading.Thread(target=health_monitor, args=(args.port, stop_monitor, health), daemon=True)
    for thread in [*readers, monitor]:
        thread.start()
    if with_outage:
        postgresql.outage(seconds / 3, args.outage_seconds, timeline)
    for thread in readers:
        thread.join()
    editor_results = [results.get(timeout=120) for _ in editors]
    for process in editors:
        process.join(timeout=30)
    stop_monitor.set()
    monitor.join()

    summary = summarize(records, seconds)
    summary["clients"] = args.clients
    summary["seconds"] = seconds
    summary["editors"] = editor_results
    summary["health_checks"] = dict(Counter(str(status) for _, _, status in health))
    if with_outage:
        down_from, back_at = timeline["stopped"], timeline["ready"]
        # From the moment PostgreSQL begins to stop until it accepts connections again.
        during = [r for r in records if timeline["stopping"] <= r[0] < back_at]
        failed = [r for r in during if r[2] != 200]
        first_healthy = next((t for t, _, status in health if t >= back_at and status == 200), None)
        last_failure = max((r[0] + r[1] for r in records if r[2] != 200 and r[0] >= back_at), default=None)
        summary["outage"] = {
            "stopped_at_second": round(timeline["stopping"] - started, 2),
            "postgresql_down_seconds": round(timeline["starting"] - down_from, 2),
            "stop_took_seconds": round(down_from - timeline["stopping"], 2),
            "start_took_seconds": round(back_at - timeline["starting"], 2),
            "requests_while_down": len(during),
            # 200s while down are pages served from the shared (Redis) page cache.
            "statuses_while_down": dict(sorted(Counter(str(r[2]) for r in during).items())),
            "failed_requests_latency_ms": {
                "p50": milliseconds(percentile([r[1] for r in failed], 0.5)),
                "p99": milliseconds(percentile([r[1] for r in failed], 0.99)),
                "max": milliseconds(max((r[1] for r in failed), default=None)),
            },
            "health_check_ok_after_postgresql_ready_seconds": (
                round(first_healthy - back_at, 2) if first_healthy is not None else None
            ),
            "last_failed_reader_request_after_postgresql_ready_seconds": (
                round(last_failure - back_at, 2) if last_failure is not None else 0.0
            ),
        }
    return summary


def verify_no_lost_edit(environment: dict, phases: dict) -> dict:
    saved = [edit for phase in phases.values() for result in phase["editors"] for edit in result["saved"]]
    ids = sorted({article_id for article_id, _ in saved})
    bodies = json.loads(
        manage(environment, "shell", "-c", FINAL_BODIES.format(ids=ids)).strip().splitlines()[-1]
    )
    lost = [
        marker for article_id, marker in saved if f"\n\n{marker}.\n" not in bodies[str(article_id)] + "\n"
    ]
    return {"edits_acknowledged": len(saved), "edits_lost": len(lost), "lost": lost[:20]}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(environment: dict, port: int, log):
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"Port {port} is in use by another server: choose another with --port.")
    server = subprocess.Popen(
        [GUNICORN, "-c", "newsroom/gunicorn.conf.py", "newsroom.wsgi"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _ in range(150):
        try:
            if http_request(port, "GET", "/healthz")[0] == 200 and server.poll() is None:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}); see {log.name}")
        time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer /healthz; see {log.name}")


def print_phase(name: str, summary: dict) -> None:
    say(f"\n== {name}: {summary['clients']} readers, {summary['seconds']:.0f} s")
    say(f"requests: {summary['requests']} ({summary['requests_per_second']}/s)")
    say(f"statuses: {summary['statuses']}")
    say(
        f"5xx: {summary['5xx']} (other than 503: {summary['5xx_other_than_503']})   "
        f"connection errors: {summary['connection_errors']}   latency: {summary['latency_ms']}"
    )
    for result in summary["editors"]:
        say(f"editor {result['name']}: {result['stats']}, published {len(result['published'])}")
    if "outage" in summary:
        say(f"outage: {json.dumps(summary['outage'])}")
    say(f"health checks: {summary['health_checks']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="Concurrent readers (default: 50).")
    parser.add_argument("--seconds", type=float, default=60, help="Length of the load phase (default: 60).")
    parser.add_argument(
        "--outage-phase-seconds", type=float, default=30, help="Length of the faults phase (default: 30)."
    )
    parser.add_argument(
        "--outage-seconds", type=float, default=5, help="How long PostgreSQL stays down (default: 5)."
    )
    parser.add_argument(
        "--no-outage", action="store_true", help="Only the load phase: PostgreSQL is not restarted."
    )
    parser.add_argument("--articles", type=int, default=2000, help="Synthetic archive size (default: 2000).")
    parser.add_argument("--port", type=int, help="Where gunicorn listens (default: a free port).")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_load"),
    )
    parser.add_argument(
        "--cluster",
        default="main",
        help="The PostgreSQL cluster to stop and start (pg_ctlcluster; default: main).",
    )
    parser.add_argument("--cache-url", default=os.environ.get("LOAD_CACHE_URL", "redis://127.0.0.1:6379/7"))
    parser.add_argument(
        "--output", type=Path, help="Where to write the JSON summary (default: test-artifacts/…)."
    )
    args = parser.parse_args()
    args.port = args.port or free_port()
    postgresql = PostgreSQL(args.cluster, args.database_url)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    output = args.output or ARTIFACTS / f"{stamp}.json"
    environment = production_environment(args)
    password = secrets.token_urlsafe(16)
    site = prepare(args, environment, password)
    say(f"Site: {site['synthetic']} synthetic articles; {len(site['desk'])} desk articles for the editors")

    with open(ARTIFACTS / f"{stamp}-gunicorn.log", "w") as log:
        server = start_gunicorn(environment, args.port, log)
        phases = {}
        try:
            phases["load"] = run_phase(args, "load", site, password, args.seconds)
            print_phase("load", phases["load"])
            if not args.no_outage:
                phases["faults"] = run_phase(
                    args, "faults", site, password, args.outage_phase_seconds, postgresql
                )
                print_phase("faults: PostgreSQL stopped and started", phases["faults"])
        finally:
            postgresql.ensure_running()
            server.terminate()
            server.wait(timeout=60)

    report = {
        "when": stamp,
        "environment": {"cpus": os.cpu_count(), "workers": environment.get("WEB_CONCURRENCY", "cpu*2+1")},
        "phases": phases,
        "edits": verify_no_lost_edit(environment, phases),
    }
    output.write_text(json.dumps(report, indent=2))
    say(f"\nedits: {report['edits']}")
    say(f"Written to {output}")


if __name__ == "__main__":
    main()
