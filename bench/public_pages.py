"""Latency of the public pages under concurrent load, against serving the same bytes statically.

Not a test: prints a report (and writes it as JSON with --output); never asserts on time.
"""

import argparse
import http.client
import json
import os
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
    "map boundaries": "/coverage/map.geojson?on=2019-06-30",
}
REFERENCE = "map boundaries"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRADLE_")}
    env.update({
        "CRADLE_SECRET_KEY": secrets.token_urlsafe(50),
        "CRADLE_ALLOWED_HOSTS": "127.0.0.1",
        "CRADLE_SSL_REDIRECT": "0",
        "CRADLE_VAR_DIR": str(var_dir),
        "CRADLE_LOG_LEVEL": "WARNING",
    })
    return env


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


def measure(port: int, path: str, requests: int, concurrency: int) -> dict:
    for _ in range(3):  # warm caches and connections before timing
        fetch(port, path)
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda _: fetch(port, path), range(requests)))
    elapsed = time.perf_counter() - started
    latencies = sorted(r[0] for r in results)
    statuses = {r[1] for r in results}
    if statuses != {200}:
        raise SystemExit(f"{path}: HTTP statuses {statuses}")
    return {
        "path": path,
        "median_ms": round(statistics.median(latencies) * 1000, 2),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 2),
        "requests_per_second": round(requests / elapsed, 1),
        "bytes": results[0][2],
    }


def start_server(env, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "cradle.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning"], env=env, cwd=ROOT)
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
    parser.add_argument("--output", type=Path)
    options = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="cradle-bench-"))
    env = production_env(var_dir)
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
        pages = {**PAGES, "static reference": f"/static/{static_name}"}
        report = {name: measure(port, path, options.requests, options.concurrency)
                  for name, path in pages.items()}
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(var_dir, ignore_errors=True)

    reference = report["static reference"]
    print(f"\n{options.requests} requests per page, {options.concurrency} concurrent clients, "
          f"{options.workers} gunicorn workers, {os.cpu_count()} CPUs")
    print(f"{'page':<18}{'median ms':>11}{'p95 ms':>10}{'req/s':>9}{'bytes':>11}"
          f"{'median × static':>17}{'p95 × static':>14}")
    for name, row in report.items():
        row["median_ratio_to_static"] = round(row["median_ms"] / reference["median_ms"], 2)
        row["p95_ratio_to_static"] = round(row["p95_ms"] / reference["p95_ms"], 2)
        print(f"{name:<18}{row['median_ms']:>11}{row['p95_ms']:>10}"
              f"{row['requests_per_second']:>9}{row['bytes']:>11}"
              f"{row['median_ratio_to_static']:>17}{row['p95_ratio_to_static']:>14}")
    if options.output:
        options.output.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
