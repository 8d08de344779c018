"""Latency of the public pages under concurrent load, against serving the same bytes statically.

Warm: each page under concurrent clients once cached (issue 15's target: p95 within 2x of the
static file). Cold: the first request of each page after a data change (a service saved in
another process, as the admin or an import would), which renders it again.

Not a test: prints a report (and writes it as JSON with --output); never asserts on time.
"""

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PAGES = {
    "home": "/",
    "search": "/services/?q=Leeds",
    "service page": None,  # the first search result (found when the server is up)
    "area page": None,  # the first 2019 CCG on the scheme's page
    "coverage map": "/coverage/",
    "map boundaries": "/coverage/map.geojson?on=2019-06-30",
}
REFERENCE = "map boundaries"
FOUND_ON = {"service page": ("/services/?q=Leeds", r'href="(/services/\d+/)"'),
            "area page": ("/areas/ccg2019/", r'href="(/areas/ccg2019/[A-Z0-9]+/)"')}
# A data change as the admin makes one: a service saved (a history row, a new write token).
CHANGE = ("from cradle.directory.models import Service; "
          "service = Service.objects.real().order_by('pk').first(); service.save()")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(var_dir: Path, cache_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRADLE_")}
    env.update({
        "CRADLE_SECRET_KEY": secrets.token_urlsafe(50),
        # Production refuses to run without its keys (the audit chain's since issue 12).
        "CRADLE_AUDIT_KEY": secrets.token_urlsafe(48),
        "CRADLE_PSEUDONYM_KEY": secrets.token_urlsafe(48),
        "CRADLE_SECOND_FACTOR_KEY": secrets.token_urlsafe(48),
        "CRADLE_ALLOWED_HOSTS": "127.0.0.1",
        "CRADLE_SSL_REDIRECT": "0",
        "CRADLE_VAR_DIR": str(var_dir),
        "CRADLE_LOG_LEVEL": "WARNING",
        "CRADLE_CACHE_URL": cache_url,
        # A fresh database repeats the versions of the last run's: keys of this run only.
        "CRADLE_CACHE_KEY_PREFIX": f"cradle-bench-{secrets.token_hex(6)}",
    })
    return env


def find_pages(port: int) -> dict[str, str]:
    pages = dict(PAGES)
    for name, (listing, pattern) in FOUND_ON.items():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", listing, headers={"Host": "127.0.0.1"})
        found = re.search(pattern, connection.getresponse().read().decode())
        connection.close()
        if not found:
            raise SystemExit(f"no link for the {name} on {listing}")
        pages[name] = found.group(1)
    return pages


def measure_cold(env, port: int, pages: dict[str, str], rounds: int) -> dict[str, list[float]]:
    """Each round: change the data, then request every page once, one after another."""
    timings: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(rounds):
        cradle(env, "shell", "-c", CHANGE)
        for name, path in pages.items():
            elapsed, status, _ = fetch(port, path)
            if status != 200:
                raise SystemExit(f"{path}: HTTP {status} after a data change")
            timings[name].append(elapsed)
    return timings


def cradle(env, *args) -> None:
    subprocess.run([str(BIN / "cradle"), *args], env=env, check=True, stdout=subprocess.DEVNULL)


def fetch(port: int, path: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers={"Host": "127.0.0.1"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return time.perf_counter() - started, response.status, len(body)


def warm(port: int, path: str, concurrency: int) -> None:
    """Every worker's caches and connections, before timing (a few requests from one client
    may all reach the same worker)."""
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda _: fetch(port, path), range(concurrency * 4)))


def timed(port: int, path: str, requests: int, concurrency: int) -> tuple[list, float]:
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda _: fetch(port, path), range(requests)))
    statuses = {r[1] for r in results}
    if statuses != {200}:
        raise SystemExit(f"{path}: HTTP statuses {statuses}")
    return results, time.perf_counter() - started


def measure_all(port: int, pages: dict[str, str], requests: int, concurrency: int,
                rounds: int) -> dict:
    """The pages in turn, `rounds` times, each time a share of its requests: a machine whose
    load drifts (other work on it) then weighs on every page alike, the static file included,
    instead of on whichever page was measured at the worst moment."""
    for path in pages.values():
        warm(port, path, concurrency)
    results: dict[str, list] = {name: [] for name in pages}
    elapsed: dict[str, float] = dict.fromkeys(pages, 0.0)
    for _ in range(rounds):
        for name, path in pages.items():
            batch, seconds = timed(port, path, max(1, requests // rounds), concurrency)
            results[name] += batch
            elapsed[name] += seconds
    report = {}
    for name, path in pages.items():
        latencies = sorted(r[0] for r in results[name])
        report[name] = {
            "path": path,
            "median_ms": round(statistics.median(latencies) * 1000, 2),
            "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 2),
            "requests_per_second": round(len(latencies) / elapsed[name], 1),
            "bytes": results[name][0][2],
        }
    return report


def start_server(env, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "python:cradle.gunicorn_conf", "cradle.wsgi",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"],
        env=env, cwd=ROOT)
    for _ in range(150):
        try:
            fetch(port, "/")
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5,
                        help="the pages measured in turn this many times (requests split)")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/15",
                        help="CRADLE_CACHE_URL of the server (default: Redis, as production)")
    parser.add_argument("--cold-rounds", type=int, default=5,
                        help="data changes, each followed by one request of every page")
    parser.add_argument("--output", type=Path)
    options = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="cradle-bench-"))
    env = production_env(var_dir, options.cache_url)
    print("Preparing a production instance (migrate, load, collectstatic)...", flush=True)
    cradle(env, "migrate", "--no-input")
    cradle(env, "data", "load")
    cradle(env, "collectstatic", "--no-input")
    port = free_port()
    server = start_server(env, port, options.workers)
    try:
        # The same bytes as the boundary endpoint, as a static file from the same server
        # (restarted, because WhiteNoise indexes static files when it starts).
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", PAGES[REFERENCE], headers={"Host": "127.0.0.1"})
        payload = connection.getresponse().read()
        static_name = "bench-boundaries.json"
        (var_dir / "staticfiles" / static_name).write_bytes(payload)
        server.terminate()
        server.wait()
        server = start_server(env, port, options.workers)
        pages = find_pages(port)
        report = measure_all(port, {**pages, "static reference": f"/static/{static_name}"},
                             options.requests, options.concurrency, options.rounds)
        cold = measure_cold(env, port, pages, options.cold_rounds)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(var_dir, ignore_errors=True)

    reference = report["static reference"]
    print(f"\n{options.requests} requests per page in {options.rounds} interleaved rounds, "
          f"{options.concurrency} concurrent clients, "
          f"{options.workers} gunicorn workers, {os.cpu_count()} CPUs, cache "
          f"{options.cache_url}")
    print(f"warm{'':<14}{'median ms':>11}{'p95 ms':>10}{'req/s':>9}{'bytes':>11}"
          f"{'median × static':>17}{'p95 × static':>14}")
    for name, row in report.items():
        row["median_ratio_to_static"] = round(row["median_ms"] / reference["median_ms"], 2)
        row["p95_ratio_to_static"] = round(row["p95_ms"] / reference["p95_ms"], 2)
        print(f"{name:<18}{row['median_ms']:>11}{row['p95_ms']:>10}"
              f"{row['requests_per_second']:>9}{row['bytes']:>11}"
              f"{row['median_ratio_to_static']:>17}{row['p95_ratio_to_static']:>14}")
    print(f"\ncold: the first request of each page after a data change, "
          f"{options.cold_rounds} changes")
    print(f"{'page':<18}{'median ms':>11}{'max ms':>10}{'median × static p95':>21}")
    for name, times in cold.items():
        row = {"median_ms": round(statistics.median(times) * 1000, 2),
               "max_ms": round(max(times) * 1000, 2)}
        row["median_ratio_to_static_p95"] = round(row["median_ms"] / reference["p95_ms"], 2)
        report[name]["cold"] = row
        print(f"{name:<18}{row['median_ms']:>11}{row['max_ms']:>10}"
              f"{row['median_ratio_to_static_p95']:>21}")
    if options.output:
        options.output.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
