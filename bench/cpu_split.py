"""
Where readers-only traffic spends its CPU: each process's CPU time a request (nginx, gunicorn's
workers, Redis, the whole machine), for the static file and for the page mix, on the server
`make serve` runs (bench/traffic.py's Site), every page of the mix warmed first.

    .venv/bin/python bench/cpu_split.py --mix /tmp/newsroom-bench-…/mix.txt
    .venv/bin/python bench/cpu_split.py --mix … --in-process   # Django's WSGI handler alone
    .venv/bin/python bench/cpu_split.py --mix … --layers       # and each layer's, in the workers

The mix is the file bench/traffic.py writes (its path is in its log). docs/performance.md,
"Traffic as a newsroom makes it", reports what it found.
"""

import argparse
import io
import os
import random
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cold import server_environment
from traffic import MIX_SCRIPT, PROJECT, STATIC_PATH, Site, get
from wrk import wrk

TICK = os.sysconf("SC_CLK_TCK")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    env = os.environ.get
    parser.add_argument("--mix", type=Path, required=True, help="the mix file bench/traffic.py wrote")
    parser.add_argument(
        "--database-url",
        default=env("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_bench"),
        help="the synthetic archive (read only)",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/3", help="the page cache (emptied)")
    parser.add_argument("--port", type=int, default=8131)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--duration", type=int, default=10, help="seconds of each measurement")
    parser.add_argument("--rounds", type=int, default=2, help="static file then mix, this many times")
    parser.add_argument(
        "--in-process", action="store_true", help="call Django's WSGI application here: no server"
    )
    parser.add_argument(
        "--layers",
        action="store_true",
        help="also each layer's CPU time a request in the workers (bench/layer_clock.py)",
    )
    return parser.parse_args()


def cpu_ticks(pid: int) -> tuple[int, int]:
    """A process's user and system CPU time so far, in clock ticks."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]), int(fields[12])


def children(parent: int) -> list[int]:
    return [int(pid) for pid in Path(f"/proc/{parent}/task/{parent}/children").read_text().split()]


def machine_ticks() -> tuple[int, int]:
    """Busy and idle clock ticks of the whole machine so far."""
    values = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, idle


def processes(site: Site) -> dict[str, list[int]]:
    gunicorn, nginx = site.processes
    redis = subprocess.run(["pgrep", "-x", "redis-server"], capture_output=True, text=True).stdout.split()
    return {
        "gunicorn": children(gunicorn.pid),
        "nginx": children(nginx.pid),
        "redis": [int(pid) for pid in redis[:1]],
    }


def layer_totals(folder: Path | None) -> Counter:
    """The workers' CPU time in each layer so far (bench/layer_clock.py), in nanoseconds."""
    totals = Counter()
    for report in folder.glob("*.txt") if folder else ():
        for line in report.read_text().splitlines():
            label, value = line.split("\t")
            totals[label] += int(value)
    return totals


def measure(site: Site, label: str, duration: int, *request, layers: Path | None = None) -> dict:
    layers_before = layer_totals(layers)
    watched = processes(site)
    before = {name: [cpu_ticks(pid) for pid in pids] for name, pids in watched.items()}
    busy_before, idle_before = machine_ticks()
    run = wrk(*request)
    busy_after, idle_after = machine_ticks()
    requests = run["requests_per_second"] * duration
    row = {"traffic": label, "requests_per_second": run["requests_per_second"]}
    for name, pids in watched.items():
        after = [cpu_ticks(pid) for pid in pids]
        user = sum(a[0] - b[0] for a, b in zip(after, before[name], strict=True))
        system = sum(a[1] - b[1] for a, b in zip(after, before[name], strict=True))
        row[f"{name}_us"] = round((user + system) / TICK / requests * 1e6, 1)
        row[f"{name}_system_us"] = round(system / TICK / requests * 1e6, 1)
    row["machine_us"] = round((busy_after - busy_before) / TICK / requests * 1e6, 1)
    spent = busy_after - busy_before + idle_after - idle_before
    row["idle_percent"] = round(100 * (idle_after - idle_before) / spent, 1)
    sys.stdout.write(" ".join(f"{key}={value}" for key, value in row.items()) + "\n")
    spent = layer_totals(layers) - layers_before
    timed = spent.pop("requests", 0)
    for layer, nanoseconds in spent.items():
        sys.stdout.write(f"    {nanoseconds / timed / 1000:7.1f} µs  {layer}\n")
    sys.stdout.flush()
    return row


def in_process(args, env: dict) -> None:
    """The CPU time a request costs inside Django's WSGI handler, with no server around it."""
    os.environ.update(env, CACHE_URL=args.redis_url, DJANGO_SETTINGS_MODULE="newsroom.settings")
    from newsroom.wsgi import application

    def call(path: str) -> None:
        address, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": address,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": str(args.port),
            "HTTP_HOST": f"127.0.0.1:{args.port}",
            "SERVER_PROTOCOL": "HTTP/1.0",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
        }
        body = application(environ, lambda status, headers, exc_info=None: None)
        for _ in body:
            pass
        body.close()

    weighted = [line.split() for line in args.mix.read_text().splitlines()]
    paths = [path for _, path in weighted]
    for path in paths:
        call(path)  # every page into Redis and this process's copies
    drawn = random.Random(16).choices(paths, [int(weight) for weight, _ in weighted], k=20_000)
    runs = (("static", [STATIC_PATH] * 10_000), ("mix", drawn), ("one page", drawn[:1] * 10_000))
    for label, requests in runs:
        for _ in range(args.rounds):
            started = time.process_time()
            for path in requests:
                call(path)
            microseconds = (time.process_time() - started) / len(requests) * 1e6
            sys.stdout.write(f"traffic={label} in_process_us={microseconds:.1f}\n")
            sys.stdout.flush()


def main() -> None:
    args = parse_args()
    env = server_environment(args.database_url)
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    if args.in_process:
        in_process(args, env)
        return
    logs = Path(os.environ.get("TMPDIR", "/tmp")) / f"newsroom-cpu-split-{os.getpid()}"
    layers = None
    if args.layers:
        layers = logs / "layers"
        layers.mkdir(parents=True)
        env = {**env, "LAYER_CLOCK_DIR": str(layers)}
    config = "bench/layer_clock.py" if args.layers else "newsroom/gunicorn.conf.py"
    site = Site(args, env, logs, "site", gunicorn_config=config, CACHE_URL=args.redis_url)
    try:
        paths = [line.split()[1] for line in args.mix.read_text().splitlines()]
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda path: get(site.url + path), paths))
        mix = (site.url + "/", 32, args.duration, MIX_SCRIPT, str(args.mix), "16")
        wrk(site.url + "/", 32, 15, MIX_SCRIPT, str(args.mix), "16")  # every worker's copies
        for _ in range(args.rounds):
            measure(site, "static", args.duration, site.url + STATIC_PATH, 32, args.duration, layers=layers)
            measure(site, "mix", args.duration, *mix, layers=layers)
            time.sleep(1)
    finally:
        site.stop()


if __name__ == "__main__":
    sys.path.insert(0, str(PROJECT))
    main()
