"""
Where a cold page's time goes: each public page of the synthetic archive built with no cached
copy of it, as a gunicorn worker builds it (DEBUG off), other caches on.

    .venv/bin/python bench/cold.py                     # in this process: p50, queries, SQL time
    .venv/bin/python bench/cold.py --profile article   # and where the article's time goes
    .venv/bin/python bench/cold.py --server            # gunicorn and wrk, 2 clients (as bench/run.py)

It reads the archive `make bench` builds (``--database-url``, read only) and keeps fragments in
``--cache-url`` (Redis database 2 by default; emptied first, so every fragment is built once in
the warm-up and read after it, as for a page dropped from the page cache by an edit).
docs/performance.md, "Where a cold page's time goes", reports what it found.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PAGES = ("article", "front", "section", "person", "tag", "search", "search-broad")
# The parts of a page the profile shows: the view, its queries (built, sent, read), templates,
# the body's rendering, the structured data, pieces kept (newsroom.fragments).
PROFILED = (
    r"views.py.*\(|related.py.*\(|as_sql|execute_sql|_fetch_all|prefetch_related_objects|connection.py.*wait"
    r"|backends.django.py.*render|loader_tags.py|body_html|render_body|sanitise|markup|structured_data"
    r"|fragments|cards.py|run_search|search.py.*\(|highlighting|paginator|count\)"
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    env = os.environ.get
    parser.add_argument(
        "--database-url",
        default=env("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_bench"),
        help="the synthetic archive (read only)",
    )
    parser.add_argument(
        "--cache-url",
        default=env("COLD_CACHE_URL", "redis://127.0.0.1:6379/2"),
        help="Django's cache for everything but pages; emptied first (dummy:// for none)",
    )
    parser.add_argument("--requests", type=int, default=200, help="requests per page, in this process")
    parser.add_argument("--profile", choices=PAGES, action="append", default=[], help="profile this page")
    parser.add_argument("--server", action="store_true", help="gunicorn and wrk instead of this process")
    parser.add_argument("--duration", type=int, default=5, help="seconds of wrk per run (--server)")
    parser.add_argument("--repeat", type=int, default=3, help="wrk runs per page; the best counts (--server)")
    parser.add_argument("--port", type=int, default=8124, help="gunicorn's port (--server)")
    parser.add_argument("--output", type=Path, help="write the numbers here as JSON")
    return parser.parse_args()


def server_environment(database_url: str) -> dict:
    """The site as the benchmarks run it: production settings, over plain HTTP on this machine."""
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-" + "k" * 40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": database_url,
        # Plain HTTP on this machine: no redirect to HTTPS.
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "GUNICORN_ACCESS_LOG": "",
        "LOG_LEVEL": "WARNING",
    }


def environment(args) -> dict:
    return {**server_environment(args.database_url), "CACHE_URL": args.cache_url, "PAGE_CACHE": "false"}


def empty_cache(url: str) -> None:
    if url.startswith("redis://"):
        import redis

        redis.Redis.from_url(url).flushdb()


def manage(env: dict, *command: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=PROJECT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def landmarks(env: dict) -> dict:
    output = manage(env, "generate_archive", "--urls")
    return {name: path for name, path in json.loads(output).items() if name in PAGES}


def say(line: str, stream=sys.stdout) -> None:
    stream.write(line + "\n")
    stream.flush()


# In this process


def in_process(args, urls: dict) -> dict:
    sys.path.insert(0, str(PROJECT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    if not hasattr(settings, "PAGE_CACHE"):
        # Before PAGE_CACHE existed, the page cache was its middleware.
        settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if not name.startswith("pagecache.")]
    client = Client()
    sql = {"count": 0, "seconds": 0.0}

    def timed(execute, query, params, many, context):
        started = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            sql["count"] += 1
            sql["seconds"] += time.perf_counter() - started

    results = {}
    with connection.execute_wrapper(timed):
        for name, path in urls.items():
            for _ in range(5):  # the fragments, the connection, the database's buffers
                status = client.get(path).status_code
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
            sql.update(count=0, seconds=0.0)
            timings, cpu = [], []
            for _ in range(args.requests):
                started, started_cpu = time.perf_counter(), time.process_time()
                client.get(path)
                timings.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            results[name] = {
                "path": path,
                "p50_ms": round(statistics.median(timings) * 1000, 2),
                # This process's own time: what a busy machine's other work does not add to.
                "cpu_p50_ms": round(statistics.median(cpu) * 1000, 2),
                "queries": sql["count"] // args.requests,
                "sql_ms": round(sql["seconds"] / args.requests * 1000, 2),
            }
            row = results[name]
            say(
                f"{name:14} p50 {row['p50_ms']:6.2f} ms (CPU {row['cpu_p50_ms']:6.2f} ms)  "
                f"{row['queries']:2} queries {row['sql_ms']:5.2f} ms of SQL  {path}"
            )
            if name in args.profile:
                profile(client, path, args.requests)
    return results


def profile(client, path: str, requests: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(PROFILED)
    stats.sort_stats("tottime").print_stats(20)
    say(out.getvalue().replace(str(PROJECT) + "/", ""))


# Through gunicorn and wrk, as bench/run.py measures


def wrk(url: str, duration: int) -> tuple[float, int]:
    """The p50 in milliseconds and the number of requests of a run with 2 clients."""
    output = subprocess.run(
        ["wrk", "-t2", "-c2", f"-d{duration}s", "--latency", url], check=True, capture_output=True, text=True
    ).stdout
    p50 = next(line.split()[1] for line in output.splitlines() if line.split()[:1] == ["50%"])
    scale = next(scale for unit, scale in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)) if p50.endswith(unit))
    requests = int(next(line.split()[0] for line in output.splitlines() if "requests in" in line))
    return float(p50.rstrip("mus")) * scale, requests


def cpu_seconds(master: int) -> float:
    """The CPU time gunicorn's workers have used so far: what a page costs, however busy the machine."""
    total = 0
    for child in Path(f"/proc/{master}/task/{master}/children").read_text().split():
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime and stime
    return total / os.sysconf("SC_CLK_TCK")


def knows_setting(env: dict, name: str) -> bool:
    """Whether these settings know ``name``: the benchmarks also measure older code."""
    code = (
        f"import django; django.setup(); from django.conf import settings; print(hasattr(settings, {name!r}))"
    )
    env = {**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env=env, capture_output=True, text=True
    )
    return output.stdout.strip() == "True"


def through_server(args, env: dict, urls: dict) -> dict:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: `apt-get install wrk`.")
    if not knows_setting(env, "PAGE_CACHE"):  # before it, only CACHE_URL=dummy:// turned pages off
        say("These settings have no PAGE_CACHE: every cache is off (CACHE_URL=dummy://).", sys.stderr)
        env = {**env, "CACHE_URL": "dummy://"}
    base = f"http://127.0.0.1:{args.port}"
    log = tempfile.NamedTemporaryFile(prefix="newsroom-cold-", suffix=".log", delete=False)
    command = [
        sys.executable, "-m", "gunicorn", "-c", "newsroom/gunicorn.conf.py", "newsroom.wsgi",
        "--bind", f"127.0.0.1:{args.port}", "--max-requests", "0",
    ]  # fmt: skip
    server = subprocess.Popen(
        command, cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/robots.txt", timeout=5).read()
                break
            except OSError:
                time.sleep(0.3)
        results = {}
        for name, path in urls.items():
            try:
                urllib.request.urlopen(base + path, timeout=30).read()
            except urllib.error.HTTPError as error:
                say(f"{name:14} answered {error.code}: left out", sys.stderr)
                continue
            wrk(base + path, 2)  # every worker's fragments and connection
            runs, cpu = [], []
            for _ in range(args.repeat):
                used = cpu_seconds(server.pid)
                p50, requests = wrk(base + path, args.duration)
                runs.append(p50)
                cpu.append(round((cpu_seconds(server.pid) - used) * 1000 / requests, 2))
            results[name] = {
                "path": path,
                "light_p50_ms": min(runs),
                "light_p50_ms_runs": runs,
                "cpu_ms_per_request": min(cpu),
                "cpu_ms_per_request_runs": cpu,
            }
            say(f"{name:14} p50 {min(runs):6.2f} ms, CPU {min(cpu):6.2f} ms a request ({runs}) {path}")
        return results
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        say(f"gunicorn's log: {log.name}", sys.stderr)


def main() -> None:
    args = parse_args()
    env = environment(args)
    manage(env, "collectstatic", "--noinput", "-v0")  # pages name the fingerprinted files
    urls = landmarks(env)
    empty_cache(args.cache_url)
    if args.server:
        results = through_server(args, env, urls)
    else:
        os.environ.update(env)
        results = in_process(args, urls)
    if args.output:
        args.output.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
