"""
Newsroom's benchmark: the production server under load, measured against its own ceiling.

    make bench                  # or: .venv/bin/python bench/run.py --help

1. Makes sure the benchmark database (PostgreSQL, ``--database-url``) holds a synthetic archive
   of ``--articles`` articles (``manage.py generate_archive``, once: about two minutes for
   100,000), and collects the static files.
2. Starts gunicorn as in production (``newsroom/gunicorn.conf.py``; DEBUG off, WhiteNoise) twice:
   *cold*, with the cache off (``CACHE_URL=dummy://``), and *warm*, with Redis.
3. Warms every page in every worker (the worst-case search is measured cold only: a new query
   always misses the cache), then loads each page from a separate process, wrk:
   first with ``--light-connections`` clients, one per core (latency without a queue: what one
   reader waits for), then for ``--duration`` seconds with ``--connections`` clients (requests
   per second, and latency under that load, which is mostly queueing); each ``--repeat`` times.
   The best run counts, since other work on a shared machine can only make a run slower; the
   JSON keeps every run.
4. Compares every page with a static file of exactly the article page's size served by the
   same server (WhiteNoise): the most this stack can do for a response of that size. It is
   measured before the warm pages and again after them, and the best of both counts.
5. Then the traffic mix (``bench/traffic.py``): readers over some 2,500 pages while editors save
   drafts and published edits through the admin, through nginx as ``make serve`` runs it and
   then through Varnish, and each kind of page cold. ``--only traffic`` runs this part alone
   (``--only pages`` the rest); the other part's numbers stay in the results.

Prints Markdown tables and writes the same numbers to ``bench/results.json``. This process
does not import Django; it drives ``manage.py``, gunicorn, nginx and Varnish as an operator would.
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import redis
import traffic
from cold import server_environment
from wrk import wrk

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
STATIC_FILE = "bench/article-sized.html"  # under STATIC_ROOT, served at /static/…
ARTICLES_FOUND = re.compile(r"([\d,]+\+?) articles? for")
# The costliest search found within the search's limits (articles/search.py) on the synthetic
# archive: ten of the words its articles share most, each in nine articles out of ten or more, all
# required. Every document is read to match it, and the 2,000 newest matches are ranked by the
# distances between each pair of words. Measured with the cache off only: each new query misses it.
WORST_SEARCH = "said expected week talks committee delay without hold critics gathered"
COLD_ONLY = {"search, worst case"}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    env = os.environ.get
    parser.add_argument(
        "--database-url",
        default=env("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_bench"),
        help="PostgreSQL database for the archive (BENCH_DATABASE_URL); created if missing",
    )
    parser.add_argument(
        "--redis-url",
        default=env("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1"),
        help="Redis database for the warm run (BENCH_REDIS_URL); it is EMPTIED first",
    )
    parser.add_argument(
        "--articles", type=int, default=int(env("BENCH_ARTICLES", "100000")), help="archive size"
    )
    parser.add_argument(
        "--duration", type=int, default=int(env("BENCH_DURATION", "10")), help="seconds of load per run"
    )
    parser.add_argument(
        "--connections", type=int, default=int(env("BENCH_CONNECTIONS", "64")), help="clients under load"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=int(env("BENCH_REPEAT", "3")),
        help="runs per page, light and under load; the best counts",
    )
    parser.add_argument(
        "--light-connections", type=int, default=os.cpu_count() or 2, help="clients, light: one per core"
    )
    # As newsroom/gunicorn.conf.py: two per core, and one.
    workers = str((os.cpu_count() or 2) * 2 + 1)
    parser.add_argument(
        "--workers", type=int, default=int(env("BENCH_WORKERS", workers)), help="gunicorn workers"
    )
    parser.add_argument(
        "--port", type=int, default=int(env("BENCH_PORT", "8123")), help="gunicorn's port on 127.0.0.1"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=PROJECT / "bench" / "results.json",
        help="where the numbers go (the committed file holds the latest run: docs/performance.md)",
    )
    parser.add_argument(
        "--regenerate", action="store_true", help="build the archive again even if it is there"
    )
    parser.add_argument(
        "--only",
        choices=("pages", "traffic"),
        help="one part: each page alone, or the traffic mix (keeps the other part's numbers in --output)",
    )
    parser.add_argument(
        "--traffic-duration",
        type=int,
        default=int(env("BENCH_TRAFFIC_DURATION", "15")),
        help="seconds of load per traffic scenario",
    )
    parser.add_argument(
        "--traffic-connections",
        type=int,
        default=int(env("BENCH_TRAFFIC_CONNECTIONS", "32")),
        help="readers in the traffic mix",
    )
    parser.add_argument(
        "--mix-pages",
        type=int,
        default=int(env("BENCH_MIX_PAGES", str(traffic.MIX_PAGES))),
        help="distinct pages in the traffic mix (fewer for a quick look: warming them is the long part)",
    )
    parser.add_argument(
        "--varnish-port", type=int, default=int(env("BENCH_VARNISH_PORT", "8126")), help="Varnish's port"
    )
    parser.add_argument(
        "--varnish-vcl",
        type=Path,
        default=PROJECT / "newsroom" / "varnish.vcl",
        help="Varnish's configuration, @BACKEND_HOST@ and @BACKEND_PORT@ filled in",
    )
    return parser.parse_args()


def log(message: str) -> None:
    sys.stderr.write(f"[bench] {message}\n")
    sys.stderr.flush()


# The database and the archive


def ensure_database(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    server = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            log(f"creating database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')


def synthetic_articles(url: str) -> int:
    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT count(*) FROM articles_article WHERE slug LIKE %s", ["synthetic-%"]
        ).fetchone()
    return row[0]


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=PROJECT, env=env, check=True, text=True, capture_output=capture
    )
    return result.stdout if capture else ""


def prepare(args, env: dict) -> dict:
    ensure_database(args.database_url)
    manage(env, "migrate", "--noinput", "-v0")
    have = synthetic_articles(args.database_url)
    if args.regenerate or have != args.articles:
        log(f"building a synthetic archive of {args.articles:,} articles (this database has {have:,})")
        started = time.monotonic()
        manage(env, "generate_archive", "--articles", str(args.articles), *(["--replace"] if have else []))
        log(f"archive built in {time.monotonic() - started:.0f} s")
    # The steady state autovacuum keeps a live database in, measured now rather than whenever it
    # next runs: fresh statistics, and no dead rows left by a migration that rewrote a table.
    log("VACUUM ANALYZE")
    with psycopg.connect(args.database_url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    manage(env, "collectstatic", "--noinput", "-v0")
    return json.loads(manage(env, "generate_archive", "--urls", capture=True))


# The server


class Server:
    """gunicorn with the project's production configuration, on this machine."""

    def __init__(self, args, env: dict, cache_url: str, logs: Path):
        self.url = f"http://127.0.0.1:{args.port}"
        self.log_path = logs / f"gunicorn-{urllib.parse.urlsplit(cache_url).scheme}.log"
        command = [
            PYTHON, "-m", "gunicorn", "-c", "newsroom/gunicorn.conf.py", "newsroom.wsgi",
            "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers),
            # Workers are recycled every 2,000 requests in production (a leak guard); here that
            # would restart a worker every few seconds and measure Django's start-up instead.
            "--max-requests", "0",
        ]  # fmt: skip
        self.log_file = self.log_path.open("w")
        self.process = subprocess.Popen(
            command,
            cwd=PROJECT,
            env={**env, "CACHE_URL": cache_url},
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_until_up()

    def wait_until_up(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped; see {self.log_path}")
            try:
                self.get("/robots.txt")
                return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s; see {self.log_path}")

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        self.log_file.close()


# The load


def warm_up(server: Server, pages: list[tuple[str, str]], args) -> None:
    """Every page a few times in every worker first: the first page measured would pay for them all."""
    for _name, path in pages:
        wrk(server.url + path, args.light_connections, 2)


def measure(server: Server, name: str, path: str, cache: str, args) -> dict:
    status, body = server.get(path)  # also puts the page in the cache when it is on
    if status != 200:
        raise SystemExit(f"{path} answered {status}; see {server.log_path}")
    url = server.url + path
    # Light load first: after many clients, a slow page leaves requests queued in the server,
    # and the next measurement would wait for them.
    wrk(url, args.light_connections, 2)  # warm up: workers, connections, the database's buffers
    # The best of --repeat runs, here and under load: on a shared machine, other work only ever
    # makes a run slower (as timeit's documentation says of its repeats). Every run is recorded.
    light_runs = [wrk(url, args.light_connections, max(3, args.duration // 2)) for _ in range(args.repeat)]
    light = min(light_runs, key=lambda run: run["p50_ms"])
    runs = []
    for _ in range(args.repeat):
        runs.append(wrk(url, args.connections, args.duration))
        server.get(path)  # waits its turn behind whatever wrk left queued
    loaded = max(runs, key=lambda run: run["requests_per_second"])
    row = {
        "page": name,
        "path": path,
        "cache": cache,
        "bytes": len(body),
        "requests_per_second": loaded["requests_per_second"],
        "p50_ms": loaded["p50_ms"],
        "p99_ms": loaded["p99_ms"],
        "light_p50_ms": light["p50_ms"],
        "light_p99_ms": light["p99_ms"],
        "errors": sum(run["errors"] for run in runs + light_runs),
        "light_p50_ms_runs": [run["p50_ms"] for run in light_runs],
        "requests_per_second_runs": [run["requests_per_second"] for run in runs],
    }
    found = ARTICLES_FOUND.search(body.decode(errors="replace")) if "search" in name else None
    if found:
        row["found"] = found.group(1)
    log(
        f"{name} ({cache}): {row['requests_per_second']:.0f} req/s, p50 {row['p50_ms']} ms, "
        f"light p50 {row['light_p50_ms']} ms"
    )
    return row


def best(rows: list[dict]) -> dict:
    """One row from measurements of the same page: the best of all their runs, every run kept."""
    light = min(rows, key=lambda row: row["light_p50_ms"])
    loaded = max(rows, key=lambda row: row["requests_per_second"])
    return {
        **loaded,
        "light_p50_ms": light["light_p50_ms"],
        "light_p99_ms": light["light_p99_ms"],
        "errors": sum(row["errors"] for row in rows),
        "light_p50_ms_runs": [run for row in rows for run in row["light_p50_ms_runs"]],
        "requests_per_second_runs": [run for row in rows for run in row["requests_per_second_runs"]],
    }


# The report


def python_speed() -> float:
    """
    Milliseconds for a fixed loop of pure Python, the best of five: how fast this machine runs
    Python, so that runs on different machines can be compared (lower is faster).
    """
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        sum(number * number for number in range(1_000_000))
        timings.append(time.perf_counter() - started)
    return round(min(timings) * 1000, 1)


def machine() -> dict:
    model = ""
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        models = (line.split(":", 1)[1].strip() for line in lscpu.splitlines() if "Model name" in line)
        model = next(models, "")
    except (OSError, subprocess.CalledProcessError):
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": model or platform.processor(),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def table(results: dict) -> str:
    lines = [
        f"| page | cache | req/s ({results['connections']} clients) | × static file | p50 | p99 "
        f"| p50 ({results['light_connections']} clients) | p99 ({results['light_connections']} clients) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in results["rows"]:
        page = row["page"] + (f" ({row['found']} found)" if row.get("found") else "")
        errors = f" ⚠ {row['errors']} errors" if row["errors"] else ""
        lines.append(
            f"| {page} | {row['cache']} | {row['requests_per_second']:,.0f}{errors} | {row['ratio']:.2f} "
            f"| {row['p50_ms']:.1f} ms | {row['p99_ms']:.1f} ms "
            f"| {row['light_p50_ms']:.1f} ms | {row['light_p99_ms']:.1f} ms |"
        )
    return "\n".join(lines)


def main() -> None:
    args = parse_args()
    # Stopped (a timeout, Ctrl-C), the servers it started are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: `apt-get install wrk` (or `make bench`, which installs it).")
    env = {
        **server_environment(args.database_url),
        # wrk is one client: the API's rate limit still counts each request (its cost is measured),
        # but never refuses one.
        "API_RATE_LIMIT": "1000000000",
    }
    urls = prepare(args, env)
    logs = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    # One part alone keeps the other part's latest numbers.
    results = json.loads(args.output.read_text()) if args.only and args.output.exists() else {}
    if args.only != "traffic":
        results.update(measure_pages(args, env, urls, logs))
    if args.only != "pages":
        started = time.monotonic()
        results["traffic"] = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "python_loop_ms": python_speed(),
            "articles": synthetic_articles(args.database_url),
            "workers": args.workers,
            **traffic.run(args, env, urls, logs),
        }
        results["traffic"]["minutes"] = round((time.monotonic() - started) / 60, 1)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    if args.only != "traffic":
        sys.stdout.write(
            f"\n{results['articles']:,} articles; {results['machine']['cores']} cores "
            f"({results['machine']['cpu']}; a fixed Python loop in "
            f"{results['machine']['python_loop_ms']} ms); "
            f"gunicorn with {args.workers} workers; {results['date']}; load average "
            f"{results['load_average']['before']} before, {results['load_average']['after']} after\n\n"
        )
        sys.stdout.write(table(results) + "\n")
    if args.only != "pages":
        sys.stdout.write("\n" + traffic.tables(results["traffic"]) + "\n")
    log(f"wrote {args.output}; server logs in {logs}")


def measure_pages(args, env: dict, urls: dict, logs: Path) -> dict:
    """Each page alone, cold and warm, against the static file: every section of the results but traffic."""
    load_before = round(os.getloadavg()[0], 2)
    speed = python_speed()  # before the load, as the load average
    worst = urllib.parse.quote_plus(WORST_SEARCH)
    pages = [
        ("article", urls["article"]),
        ("front page", urls["front"]),
        ("person, most quoted", urls["person"]),
        ("tag, biggest", urls["tag"]),
        ("search", urls["search"]),
        ("search, broad", urls["search-broad"]),
        ("search, worst case", urllib.parse.urlsplit(urls["search"])._replace(query=f"q={worst}").geturl()),
        # The content API (docs/api.md): an article with its body, and the most quoted person's quotes.
        ("API: article", "/api" + urls["article"]),
        ("API: person's quotes", f"/api/quotes/?speaker={urls['person'].rstrip('/').rsplit('/', 1)[-1]}"),
    ]
    rows = []

    server = Server(args, env, "dummy://", logs)
    try:
        status, article = server.get(urls["article"])
        static_root = PROJECT / "staticfiles"
        (static_root / STATIC_FILE).parent.mkdir(parents=True, exist_ok=True)
        (static_root / STATIC_FILE).write_bytes(article)  # same size; WhiteNoise indexes it at start-up
        warm_up(server, pages, args)
        for name, path in pages:
            rows.append(measure(server, name, path, "cold", args))
    finally:
        server.stop()

    redis.Redis.from_url(args.redis_url).flushdb()  # "warm" starts from an empty cache
    server = Server(args, env, args.redis_url, logs)
    try:
        warm = [(name, path) for name, path in pages if name not in COLD_ONLY]
        warm_up(server, warm, args)
        static = [measure(server, "static file (the ceiling)", f"/static/{STATIC_FILE}", "—", args)]
        for name, path in warm:
            rows.append(measure(server, name, path, "warm", args))
        # Measured again at the end: the machine may have been faster then, and the ceiling
        # is the most the server did.
        static.append(measure(server, "static file (the ceiling)", f"/static/{STATIC_FILE}", "—", args))
        rows.insert(0, best(static))
    finally:
        server.stop()

    ceiling = rows[0]["requests_per_second"]
    for row in rows:
        row["ratio"] = round(row["requests_per_second"] / ceiling, 3)
    order = {name: index for index, (name, _) in enumerate(pages)}
    rows = rows[:1] + sorted(rows[1:], key=lambda row: (order[row["page"]], row["cache"] != "warm"))
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {**machine(), "python_loop_ms": speed},
        # Other work on the machine skews every number: the load average before and after.
        "load_average": {"before": load_before, "after": round(os.getloadavg()[0], 2)},
        "articles": synthetic_articles(args.database_url),
        "workers": args.workers,
        "connections": args.connections,
        "light_connections": args.light_connections,
        "duration_seconds": args.duration,
        "repeat": args.repeat,
        "rows": rows,
    }


if __name__ == "__main__":
    main()
