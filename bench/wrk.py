"""wrk, the load generator both benchmarks drive: one run, its rate and latency percentiles."""

import re
import subprocess
from pathlib import Path

WRK_LINE = {
    "requests_per_second": re.compile(r"Requests/sec:\s+([\d.]+)"),
    "requests": re.compile(r"^\s+(\d+) requests in", re.M),
    "p50": re.compile(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", re.M),
    "p99": re.compile(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", re.M),
    "errors": re.compile(r"Non-2xx or 3xx responses:\s+(\d+)"),
    "socket_errors": re.compile(r"Socket errors:(.*)$", re.M),
}
MILLISECONDS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, connections: int, duration: int, script: Path | None = None, *script_args: str) -> dict:
    """``connections`` clients for ``duration`` seconds on ``url``, or on the paths ``script`` picks."""
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if script:
        command += ["-s", str(script)]
    command.append(url)
    if script_args:
        command += ["--", *script_args]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    result = {"requests_per_second": float(WRK_LINE["requests_per_second"].search(output).group(1))}
    result["requests"] = int(WRK_LINE["requests"].search(output).group(1))
    for name in ("p50", "p99"):
        value, unit = WRK_LINE[name].search(output).groups()
        result[f"{name}_ms"] = round(float(value) * MILLISECONDS[unit], 2)
    errors = WRK_LINE["errors"].search(output)
    result["errors"] = int(errors.group(1)) if errors else 0
    socket_errors = WRK_LINE["socket_errors"].search(output)
    if socket_errors:
        result["socket_errors"] = socket_errors.group(1).strip()
    return result
