"""
Traffic as a newsroom makes it: readers over a page mix while editors save, through the server
`make serve` runs, then through Varnish. docs/performance.md, "Traffic as a newsroom makes it".
"""

import http.cookiejar
import itertools
import json
import os
import queue
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import redis
from cold import knows_setting, manage
from wrk import wrk

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from tests.html_forms import form_data  # noqa: E402  (reads a form the way a browser submits it)

PYTHON = sys.executable
MIX_SCRIPT = PROJECT / "bench" / "mix.lua"
STATIC_PATH = "/static/bench/article-sized.html"  # bench/run.py's static file: the article's size

# The page mix: readers' requests drawn one by one, with a fixed seed, until MIX_PAGES distinct
# pages have been asked for. A request is for a kind of page by these shares, then for one page
# of that kind, Zipf-like (weight 1 / rank ** ZIPF_S): articles ranked newest first, the others
# by how many published articles carry them (the front page is one page).
MIX_PAGES = 2500
MIX_SEED = 16
ZIPF_S = 1.1
SHARES = {"article": 0.75, "front": 0.08, "section": 0.05, "tag": 0.04, "person": 0.06, "author": 0.02}

# Before each scenario, the mix for this long: about 25,000 requests at the warm speed, which
# gives each of 5 workers a copy of nearly every page readers ask for more than rarely.
WARM_SECONDS = 10

# The ceiling moves between two measurements minutes apart (docs/performance.md): readers-only is
# also measured in pairs, the static file and then the mix, one right after the other, this many
# times, and each pair's ratio counts.
PAIRS = 3

# The editors: one draft saved each second, one published story's standfirst edited every 10 s.
EDITOR = "bench-editor"
DRAFTS = 30  # drafts the desk keeps saving, in turn
EDITED = 10  # the newest published stories, whose standfirsts are edited in turn
EDITORS_AT_ONCE = 4  # logged in for each stream of saves: how many saves may overlap
SCENARIOS = {
    "readers": ("readers only, every page of the mix warmed first", ()),
    "drafts": ("readers + one draft saved each second", ("drafts",)),
    "edits": ("readers + one published standfirst edited every 10 s", ("edits",)),
    "both": ("readers + a draft each second + a published edit every 10 s", ("drafts", "edits")),
}
INTERVALS = {"drafts": 1.0, "edits": 10.0}
# What each save changes: a draft's body, a published story's standfirst (with the time, so new).
CHANGES = {"drafts": ("body", "The reporter keeps writing"), "edits": ("dek", "The latest, as it stands")}
# Cold speed of each kind of page, by generate_archive --urls' telling pages.
COLD_PAGES = (
    ("article", "article"),
    ("person, most quoted", "person"),
    ("front page", "front"),
    ("section", "section"),
    ("tag, biggest", "tag"),
    ("search", "search"),
)
# KEPT_PARTS for the cold article and person with some of their parts made again (see run()):
# the setting, then the pages measured with it.
PARTS_MADE = (
    ("read-next", (("article, its story made again", "article"),)),
    ("story", (("article, its read-next made again", "article"),)),
    (
        "none",
        (
            ("article, both its parts made again", "article"),
            ("person, most quoted, its lists made again", "person"),
        ),
    ),
)

SITE = """
import json
from django.contrib.auth.models import Group, User
from django.db.models import Count
from django.urls import reverse
from taggit.models import Tag
from articles.models import Article, Author, Person, Section, public

user, _ = User.objects.get_or_create(username={username!r})
user.is_staff = True
user.set_password({password!r})
user.save()
user.groups.add(Group.objects.get(name="Editor"))
section = Section.objects.order_by("order", "pk").first()
drafts = []
for number in range({drafts}):
    draft, _ = Article.objects.get_or_create(
        slug=f"bench-draft-{{number}}",
        defaults={{
            "headline": f"Desk draft {{number}}, saved over and over by the benchmark",
            "body": "The reporter keeps writing.",
            "section": section,
            "status": Article.Status.DRAFT,
        }},
    )
    drafts.append(reverse("admin:articles_article_change", args=[draft.pk]))
newest = Article.objects.published().order_by("-published_at", "-pk")
slugs = newest.values_list("slug", flat=True)
items = "articles_taggedarticle_items"
tags = (
    Tag.objects.annotate(carried=Count(items, filter=public(f"{{items}}__content_object__")))
    .filter(carried__gt=0)
    .order_by("-carried", "pk")
)
named = Count("articles", filter=public("articles__"))
people = Person.objects.public().annotate(named=named).order_by("-named", "pk")
authors = Author.objects.public().annotate(named=named).order_by("-named", "pk")
sections = Section.objects.annotate(named=named).filter(named__gt=0).order_by("-named", "pk")
print(json.dumps({{
    "login": reverse("admin:login"),
    "drafts": drafts,
    "edited": [
        {{
            "change": reverse("admin:articles_article_change", args=[pk]),
            "page": reverse("articles:detail", kwargs={{"slug": slug}}),
        }}
        for pk, slug in newest.values_list("pk", "slug")[:{edited}]
    ],
    "article": [reverse("articles:detail", kwargs={{"slug": slug}}) for slug in slugs],
    "front": [reverse("articles:front-page")],
    "section": [section.get_absolute_url() for section in sections],
    "tag": [reverse("articles:tag", kwargs={{"slug": slug}}) for slug in tags.values_list("slug", flat=True)],
    "person": [p.get_absolute_url() for p in people.only("slug")],
    "author": [a.get_absolute_url() for a in authors.only("slug")],
}}))
"""


def log(message: str) -> None:
    sys.stderr.write(f"[bench] {message}\n")
    sys.stderr.flush()


# The page mix


def draw_mix(site: dict, pages: int = MIX_PAGES, seed: int = MIX_SEED) -> Counter:
    """Requests drawn until ``pages`` distinct pages were asked for: (kind, path) -> requests."""
    rng = random.Random(seed)
    kinds = [kind for kind in SHARES if site[kind]]
    shares = [SHARES[kind] for kind in kinds]
    zipf = {
        kind: list(itertools.accumulate(1 / rank**ZIPF_S for rank in range(1, len(site[kind]) + 1)))
        for kind in kinds
    }
    pages = min(pages, sum(len(site[kind]) for kind in kinds))
    drawn = Counter()
    while len(drawn) < pages:
        kind = rng.choices(kinds, shares)[0]
        drawn[kind, rng.choices(site[kind], cum_weights=zipf[kind])[0]] += 1
    return drawn


def describe_mix(drawn: Counter) -> dict:
    requests = sum(drawn.values())
    kinds = Counter()
    for (kind, _), count in drawn.items():
        kinds[kind] += count
    return {
        "pages": len(drawn),
        "requests_drawn": requests,
        "seed": MIX_SEED,
        "zipf_s": ZIPF_S,
        "shares": SHARES,
        "by_kind": {
            kind: {
                "pages": sum(1 for page_kind, _ in drawn if page_kind == kind),
                "share_of_requests": round(kinds[kind] / requests, 3),
            }
            for kind in SHARES
        },
        "most_read": [path for (_, path), _ in drawn.most_common(5)],
    }


# The servers


class Site:
    """The site as `make serve` runs it: nginx in front of gunicorn's sync workers, on a socket."""

    def __init__(
        self,
        args,
        env: dict,
        logs: Path,
        name: str,
        gunicorn_config: str = "newsroom/gunicorn.conf.py",  # from the project's folder
        **settings: str,
    ):
        self.url = f"http://127.0.0.1:{args.port}"
        self.folder = logs / name
        self.folder.mkdir(parents=True, exist_ok=True)
        media = Path(env.get("MEDIA_ROOT") or PROJECT / "media").resolve()
        config = (PROJECT / "newsroom" / "serve-nginx.conf").read_text()
        for placeholder, value in (
            ("@PORT@", str(args.port)),
            ("@RUN@", str(self.folder)),
            ("@MEDIA@", str(media)),
        ):
            config = config.replace(placeholder, value)
        (self.folder / "nginx.conf").write_text(config)
        self.log_path = self.folder / "server.log"
        self.log_file = self.log_path.open("w")
        gunicorn = [
            PYTHON, "-m", "gunicorn", "-c", gunicorn_config, "newsroom.wsgi",
            "--workers", str(args.workers),
            # As bench/run.py: no recycling of workers every 2,000 requests (see there).
            "--max-requests", "0",
        ]  # fmt: skip
        socket = f"unix:{self.folder}/gunicorn.sock"
        self.processes = [
            subprocess.Popen(
                gunicorn,
                cwd=PROJECT,
                env={**env, **settings, "BIND": socket, "PROXY_COUNT": "1"},
                stdout=self.log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        ]
        # As `make serve`: in the foreground, and as root when run as root (its workers reach the
        # socket in a private folder). Its access log, on its standard output, is dropped.
        user = " user root;" if os.getuid() == 0 else ""
        nginx = [
            "nginx", "-p", str(self.folder), "-c", "nginx.conf", "-e", "stderr", "-g", f"daemon off;{user}",
        ]  # fmt: skip
        self.processes.append(
            subprocess.Popen(nginx, stdout=subprocess.DEVNULL, stderr=self.log_file, start_new_session=True)
        )
        try:
            wait_until_up(self.url, self.processes, self.log_path)
        except SystemExit:
            self.stop()
            raise

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
        self.log_file.close()


class Varnish:
    """varnishd in front of ``backend`` with the project's VCL, in a work folder of its own."""

    def __init__(self, port: int, backend: str, vcl: Path, logs: Path):
        self.url = f"http://127.0.0.1:{port}"
        # varnishd compiles the VCL as an unprivileged user: its folder must be open to it, unlike
        # the logs' (mkdtemp's are the owner's alone). The work folder, -n, is varnishd's own.
        folder = logs / "varnish"
        folder.mkdir(parents=True, exist_ok=True)
        for opened in (logs, folder):
            opened.chmod(0o755)
        self.folder = folder / "work"
        parts = urllib.parse.urlsplit(backend)
        vcl = vcl.read_text().replace("@BACKEND_HOST@", parts.hostname)
        vcl = vcl.replace("@BACKEND_PORT@", str(parts.port)).replace("@PURGE_FROM@", "")  # purges from here
        (folder / "newsroom.vcl").write_text(vcl)
        self.log_path = folder / "varnishd.log"
        self.log_file = self.log_path.open("w")
        command = [
            "varnishd", "-F", "-n", str(self.folder), "-a", f"127.0.0.1:{port}",
            "-f", str(folder / "newsroom.vcl"), "-s", "malloc,256m",
            # As newsroom/varnish.vcl says: a long list's xkey header outgrows the 8 KB default.
            "-p", "http_resp_hdr_len=32k",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            wait_until_up(self.url, [self.process], self.log_path)
        except SystemExit:
            self.stop()
            raise

    def counters(self) -> dict[str, int]:
        output = subprocess.run(
            ["varnishstat", "-n", str(self.folder), "-1", "-f", "MAIN.cache_hit", "-f", "MAIN.cache_miss"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return {
            line.split()[0].removeprefix("MAIN."): int(line.split()[1])
            for line in output.splitlines()
            if line
        }

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        self.log_file.close()


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_until_up(url: str, processes: list, log_path: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            raise SystemExit(f"a server stopped at start; see {log_path}")
        try:
            if get(url + "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s; see {log_path}")


# The editors


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a save answers with a redirect to the change list, which is not loaded


class Editor:
    """An editor in the admin over HTTP: a browser's cookies and CSRF token, the real forms."""

    ERROR = re.compile(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', re.S)

    def __init__(self, origin: str, login_path: str, username: str, password: str):
        self.origin = origin
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _KeepRedirects())
        status, html = self.request(login_path)
        data = form_data(html, "login-form")
        data.update(username=[username], password=[password])
        status, _ = self.request(login_path, data)
        if status != 302:
            raise SystemExit(f"{username} could not log in to the admin ({status})")

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.origin + path, body, timeout=60) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def save(self, path: str, field: str, text: str) -> tuple[str, float]:
        """Opens the change form, sets ``field`` to ``text`` and saves: the outcome and the save's seconds."""
        status, html = self.request(path)
        if status != 200:
            return f"{status} opening the form", 0.0
        data = form_data(html, "article_form")
        data[field] = [text]
        started = time.monotonic()
        status, html = self.request(path, data)
        seconds = time.monotonic() - started
        if status == 302:
            return "saved", seconds
        errors = self.ERROR.search(html)
        return f"{status} {re.sub(r'<[^>]+>', ' ', errors.group(1)).strip()[:120] if errors else ''}", seconds


class Edits(threading.Thread):
    """
    Saves of the next of ``paths`` begun every INTERVALS[kind] seconds, until stopped, each by
    whichever of ``editors`` is free: a save slower than the interval overlaps the next (another
    editor's) rather than delaying it, so the newsroom keeps its pace however slow the site is.
    """

    def __init__(self, editors: list[Editor], kind: str, paths: list[str]):
        super().__init__(daemon=True)
        self.kind, self.paths, self.interval = kind, paths, INTERVALS[kind]
        self.free = queue.Queue()
        for editor in editors:
            self.free.put(editor)
        self.pool = ThreadPoolExecutor(max_workers=len(editors))
        self.halt = threading.Event()
        self.lock = threading.Lock()
        self.begun = 0
        self.outcomes = Counter()
        self.seconds: list[float] = []

    def run(self) -> None:
        due = time.monotonic()
        for number in itertools.count():
            if self.halt.wait(max(0.0, due - time.monotonic())):
                return
            self.begun += 1
            self.pool.submit(self.save, self.paths[number % len(self.paths)])
            due += self.interval

    def save(self, path: str) -> None:
        editor = self.free.get()
        field, text = CHANGES[self.kind]
        try:
            outcome, seconds = editor.save(path, field, f"{text} ({int(time.time() * 1000)}).")
        except OSError as error:  # a refused or timed-out connection is an outcome too
            outcome, seconds = type(error).__name__, 0.0
        finally:
            self.free.put(editor)
        with self.lock:
            self.outcomes[outcome] += 1
            if outcome == "saved":
                self.seconds.append(seconds)

    def stop(self) -> dict:
        self.halt.set()
        self.join(timeout=60)
        self.pool.shutdown(wait=True)  # the saves under way finish; they were part of the load
        ordered = sorted(self.seconds)
        return {
            "every_seconds": self.interval,
            "begun": self.begun,
            "saved": self.outcomes["saved"],
            "failed": {outcome: count for outcome, count in self.outcomes.items() if outcome != "saved"},
            "save_p50_ms": round(ordered[len(ordered) // 2] * 1000, 1) if ordered else None,
            "save_p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 1)
            if ordered
            else None,
            "save_max_ms": round(ordered[-1] * 1000, 1) if ordered else None,
        }


# The measurements


def warm(url: str, drawn: Counter, mix_file: Path, connections: int) -> dict:
    """
    Every page of the mix once (into Redis), then the mix for WARM_SECONDS, so that each worker
    keeps its own copies of the pages it is asked for most (pagecache.purges.NearCopies).
    """
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = Counter(pool.map(lambda path: get(url + path)[0], [path for _, path in drawn]))
    seconds = time.monotonic() - started
    if set(statuses) != {200}:
        raise SystemExit(f"warming the mix, pages answered {dict(statuses)}: every page should be 200")
    wrk(url, connections, WARM_SECONDS, MIX_SCRIPT, str(mix_file), str(MIX_SEED + 1))
    return {"seconds": round(seconds, 1)}


def scenario(url: str, name: str, args, mix_file: Path, editors) -> dict:
    label, streams = SCENARIOS[name]
    threads = {stream: editors(stream) for stream in streams}
    for thread in threads.values():
        thread.start()
    run = wrk(url, args.traffic_connections, args.traffic_duration, MIX_SCRIPT, str(mix_file), str(MIX_SEED))
    row = {"scenario": name, "traffic": label, **run}
    row.update({stream: thread.stop() for stream, thread in threads.items()})
    edits = "; ".join(
        f"{stream}: {row[stream]['saved']} saved, p50 {row[stream]['save_p50_ms']} ms" for stream in streams
    )
    log(f"{label}: {run['requests_per_second']:.0f} req/s, p50 {run['p50_ms']} ms, p99 {run['p99_ms']} ms")
    if edits:
        log(f"  saves: {edits}")
    return row


def static_ceiling(url: str, args) -> dict:
    status, _ = get(url + STATIC_PATH)
    if status != 200:
        raise SystemExit(f"{STATIC_PATH} answered {status}: run collectstatic")
    wrk(url + STATIC_PATH, args.traffic_connections, 2)
    run = wrk(url + STATIC_PATH, args.traffic_connections, args.traffic_duration)
    log(f"static file: {run['requests_per_second']:.0f} req/s, p99 {run['p99_ms']} ms")
    return run


def readers_in_pairs(url: str, args, drawn: Counter, mix_file: Path) -> dict:
    """Readers-only against the static file measured just before it, PAIRS times, every page warmed."""
    warm(url, drawn, mix_file, args.traffic_connections)
    pairs = []
    for _ in range(PAIRS):
        static = wrk(url + STATIC_PATH, args.traffic_connections, args.traffic_duration)
        readers = wrk(
            url, args.traffic_connections, args.traffic_duration, MIX_SCRIPT, str(mix_file), str(MIX_SEED)
        )
        pairs.append(
            {
                "static": static["requests_per_second"],
                "readers": readers["requests_per_second"],
                "readers_p99_ms": readers["p99_ms"],
                "ratio": round(readers["requests_per_second"] / static["requests_per_second"], 3),
            }
        )
        log(
            f"pair: static file {static['requests_per_second']:.0f} req/s, "
            f"readers {readers['requests_per_second']:.0f} req/s"
        )
    ratios = sorted(pair["ratio"] for pair in pairs)
    return {"pairs": pairs, "median_ratio": ratios[len(ratios) // 2]}


def cold_pages(url: str, urls: dict, args, pages=COLD_PAGES) -> list[dict]:
    rows = []
    for name, key in pages:
        wrk(url + urls[key], 2, 2)  # workers, connections, the database's buffers
        run = wrk(url + urls[key], 2, max(3, args.traffic_duration // 2))
        rows.append({"page": name, "path": urls[key], **run})
        log(f"cold {name}: p50 {run['p50_ms']} ms, p99 {run['p99_ms']} ms")
    return rows


def edit_visible(varnish: Varnish, editor: Editor, article: dict) -> dict:
    """A page Varnish keeps, an edit, and the next request through Varnish: does it show the edit?"""
    get(varnish.url + article["page"])
    hits = varnish.counters()["cache_hit"]
    get(varnish.url + article["page"])
    # Without this, a page Varnish never kept would pass the check.
    kept = varnish.counters()["cache_hit"] > hits
    text = f"Checked through Varnish ({int(time.time() * 1000)})."
    outcome, _ = editor.save(article["change"], "dek", text)
    _, body = get(varnish.url + article["page"])
    return {
        "page": article["page"],
        "served_from_varnish_before_the_edit": kept,
        "saved": outcome,
        "visible_on_next_request": text.encode() in body,
    }


def run(args, env: dict, urls: dict, logs: Path) -> dict:
    """The traffic section of bench/results.json."""
    load_before = round(os.getloadavg()[0], 2)
    password = secrets.token_urlsafe(16)
    script = SITE.format(username=EDITOR, password=password, drafts=DRAFTS, edited=EDITED)
    output = manage(env, "shell", "-c", script)
    site = json.loads(output.strip().splitlines()[-1])
    drawn = draw_mix(site, args.mix_pages)
    mix_file = logs / "mix.txt"
    mix_file.write_text("".join(f"{count} {path}\n" for (_, path), count in drawn.most_common()))
    mix = describe_mix(drawn)
    log(f"page mix: {mix['pages']:,} pages from {mix['requests_drawn']:,} requests drawn; {mix_file}")
    results = {"mix": mix, "connections": args.traffic_connections, "duration_seconds": args.traffic_duration}

    # Cold: the page cache off, every other cache on.
    if knows_setting(env, "PAGE_CACHE"):
        cold = {"CACHE_URL": args.redis_url, "PAGE_CACHE": "false"}
        results["cold_means"] = "PAGE_CACHE=false, Redis for every other cache"
    else:
        cold = {"CACHE_URL": "dummy://"}
        results["cold_means"] = "CACHE_URL=dummy:// (these settings have no PAGE_CACHE): every cache off"
    server = Site(args, env, logs, "cold", **cold)
    try:
        static_file = PROJECT / "staticfiles" / STATIC_PATH.removeprefix("/static/")
        if not static_file.exists():
            static_file.parent.mkdir(parents=True, exist_ok=True)
            static_file.write_bytes(get(server.url + urls["article"])[1])  # indexed at the next start
        results["cold_pages"] = cold_pages(server.url, urls, args)
    finally:
        server.stop()
    if knows_setting(env, "KEPT_PARTS"):
        # Above, the article with both its parts kept, as a logged-in editor or a site without
        # the page cache finds it. A page dropped from the page cache had a part change: most
        # often "Read next" (a story published in its section, a headline under it), sometimes
        # the story, both only for an edit that touches both. A person's page dropped for an
        # edit to the person keeps its lists; one dropped for a change in either list makes them
        # again. Pieces kept by their contents (the body, the cards) stay kept.
        for parts, pages in PARTS_MADE:
            server = Site(args, env, logs, f"cold-{parts}", **cold, KEPT_PARTS=parts)
            try:
                results["cold_pages"] += cold_pages(server.url, urls, args, pages)
            finally:
                server.stop()

    redis.Redis.from_url(args.redis_url).flushdb()  # the first warm-up starts from an empty cache
    server = Site(args, env, logs, "warm", CACHE_URL=args.redis_url)
    try:
        editors = make_editors(server.url, site, password)
        results["warm_up_from_empty"] = warm(server.url, drawn, mix_file, args.traffic_connections)
        log(f"warmed {len(drawn):,} pages from empty in {results['warm_up_from_empty']['seconds']} s")
        static = [static_ceiling(server.url, args)]
        rows = []
        for name in SCENARIOS:
            # Again before each: what the last scenario dropped, the next would start without.
            warmed = warm(server.url, drawn, mix_file, args.traffic_connections)
            rows.append({**scenario(server.url, name, args, mix_file, editors), "warm_up": warmed})
        static.append(static_ceiling(server.url, args))
        results["readers_in_pairs"] = readers_in_pairs(server.url, args, drawn, mix_file)
    finally:
        server.stop()
    results["static"] = max(static, key=lambda run: run["requests_per_second"])
    results["static"]["requests_per_second_runs"] = [run["requests_per_second"] for run in static]
    ceiling = results["static"]["requests_per_second"]
    for row in rows:
        row["ratio"] = round(row["requests_per_second"] / ceiling, 3)
    results["scenarios"] = rows
    results["varnish"] = through_varnish(args, env, logs, site, (drawn, mix_file), password, ceiling)
    results["load_average"] = {"before": load_before, "after": round(os.getloadavg()[0], 2)}
    return results


def make_editors(url: str, site: dict, password: str):
    """What starts a stream of saves ("drafts" or "edits"): a thread logged in as the desk's editor."""
    paths = {"drafts": site["drafts"], "edits": [article["change"] for article in site["edited"]]}
    return lambda kind: Edits(
        [Editor(url, site["login"], EDITOR, password) for _ in range(EDITORS_AT_ONCE)], kind, paths[kind]
    )


def through_varnish(
    args, env: dict, logs: Path, site: dict, mix: tuple, password: str, ceiling: float
) -> dict:
    """The target scenario through Varnish, with the app purging it: rate, latency, hit ratio."""
    if not shutil.which("varnishd"):
        return {"skipped": "varnishd is missing: apt-get install varnish varnish-modules (make bench does)"}
    if not args.varnish_vcl.exists():
        return {"skipped": f"{args.varnish_vcl} is missing"}
    drawn, mix_file = mix
    front = f"http://127.0.0.1:{args.varnish_port}"
    server = Site(args, env, logs, "origin", CACHE_URL=args.redis_url, HTTP_CACHE_PURGE=f"varnish:{front}")
    try:
        varnish = Varnish(args.varnish_port, server.url, args.varnish_vcl, logs)
        try:
            editor = Editor(server.url, site["login"], EDITOR, password)
            checks = [edit_visible(varnish, editor, site["edited"][0])]
            warm(varnish.url, drawn, mix_file, args.traffic_connections)
            before = varnish.counters()
            row = scenario(varnish.url, "both", args, mix_file, make_editors(server.url, site, password))
            after = varnish.counters()
            checks.append(edit_visible(varnish, editor, site["edited"][1]))
        finally:
            varnish.stop()
    finally:
        server.stop()
    hits = after["cache_hit"] - before["cache_hit"]
    misses = after["cache_miss"] - before["cache_miss"]
    row.update(
        ratio=round(row["requests_per_second"] / ceiling, 3),
        cache_hit=hits,
        cache_miss=misses,
        hit_ratio=round(hits / (hits + misses), 4) if hits + misses else None,
        edit_checks=checks,
    )
    shown = sum(check["visible_on_next_request"] for check in checks)
    log(f"through Varnish: hit ratio {row['hit_ratio']}; edits shown at once: {shown} of {len(checks)}")
    return row


# The report

TARGETS = {
    "readers": "≥ 0.9 × static",
    "both": "≥ 0.5 × static, p99 < 100 ms",
    "varnish": "edit visible on the next request; hit ratio ≥ 95 %",
    "article": "p50 ≤ 10 ms",
    "person, most quoted": "p50 ≤ 12 ms",
}


def _saves(row: dict) -> str:
    parts = []
    for stream, name in (("drafts", "drafts"), ("edits", "published edits")):
        if stream in row:
            saves = row[stream]
            failed = sum(saves["failed"].values())
            parts.append(
                f"{saves['saved']} of {saves['begun']} {name} saved, p50 {saves['save_p50_ms']} ms, "
                f"p99 {saves['save_p99_ms']} ms" + (f", {failed} failed" if failed else "")
            )
    return "; ".join(parts) or "—"


def tables(results: dict) -> str:
    """The traffic section as Markdown tables, targets beside."""
    static = results["static"]
    errors = lambda row: f" ⚠ {row['errors']} errors" if row.get("errors") else ""  # noqa: E731
    lines = [
        f"{results['mix']['pages']:,} pages, {results['connections']} readers, "
        f"{results['duration_seconds']} s each; load average {results['load_average']['before']} before, "
        f"{results['load_average']['after']} after",
        "",
        "| traffic | req/s | × static | p50 | p99 | editors' saves (save latency) | target |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- |",
        f"| static file, same server | {static['requests_per_second']:,.0f} | 1.00 "
        f"| {static['p50_ms']:.1f} ms | {static['p99_ms']:.1f} ms | — | |",
    ]
    rows = list(results["scenarios"])
    varnish = results.get("varnish", {})
    if "requests_per_second" in varnish:
        rows.append({**varnish, "traffic": "the same through Varnish", "scenario": "varnish"})
    for row in rows:
        lines.append(
            f"| {row['traffic']} | {row['requests_per_second']:,.0f}{errors(row)} | {row['ratio']:.3f} "
            f"| {row['p50_ms']:.1f} ms | {row['p99_ms']:.1f} ms | {_saves(row)} "
            f"| {TARGETS.get(row['scenario'], '')} |"
        )
    paired = results.get("readers_in_pairs")
    if paired:
        ratios = ", ".join(f"{pair['ratio']:.3f}" for pair in paired["pairs"])
        lines += [
            "",
            f"Readers only, each run against the static file just before it: {ratios}; "
            f"median **{paired['median_ratio']:.3f} ×** (target {TARGETS['readers']}).",
        ]
    if "requests_per_second" in varnish:
        visible = all(
            check["visible_on_next_request"] and check["served_from_varnish_before_the_edit"]
            for check in varnish["edit_checks"]
        )
        hit_ratio = f"{varnish['hit_ratio']:.1%}" if varnish["hit_ratio"] is not None else "—"
        lines += [
            "",
            f"Through Varnish: hit ratio {hit_ratio} ({varnish['cache_hit']:,} hits, "
            f"{varnish['cache_miss']:,} misses); an edit visible on the next request: "
            f"{'yes' if visible else 'NO'} ({len(varnish['edit_checks'])} checks).",
        ]
    else:
        lines += ["", f"Through Varnish: not measured ({varnish.get('skipped', 'not run')})."]
    lines += [
        "",
        f"Cold pages ({results['cold_means']}), 2 clients:",
        "",
        "| page | p50 | p99 | req/s | target |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for row in results["cold_pages"]:
        lines.append(
            f"| {row['page']} | {row['p50_ms']:.1f} ms | {row['p99_ms']:.1f} ms "
            f"| {row['requests_per_second']:,.0f}{errors(row)} | {TARGETS.get(row['page'], '')} |"
        )
    return "\n".join(lines)
