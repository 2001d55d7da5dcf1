"""Pages under load: gunicorn with its usual worker count, driven by wrk (throughput) and a paced client (latency).

Baseline: a bare Flask route in the same server, in the same run. Targets (issue 8): p95 < 300 ms and
p99 < 800 ms at 50 requests per second sustained; throughput at least 30 % of the bare route's.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

from benchmarks import Result

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORKERS = 2 * (os.cpu_count() or 1) + 1
DURATION = int(os.environ.get("PORTAL_BENCH_SECONDS", "8"))
RATE = 50


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(db_url: str, storage: Path) -> dict[str, str]:
    return {**os.environ, "PORTAL_ENV": "development", "PORTAL_STAFF_MFA": "off", "PORTAL_DATABASE_URL": db_url,
            "PORTAL_STORAGE_DIR": str(storage), "PORTAL_SCHEDULER": "off",
            "PORTAL_RATELIMIT_STORAGE_URL": "memory://"}


@contextmanager
def served(env: dict[str, str]) -> Iterator[str]:
    """gunicorn serving benchmarks.wsgi:app; yields the base URL."""
    port = _free_port()
    process = subprocess.Popen([str(BIN / "gunicorn"), "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
                                "--log-level", "warning", "benchmarks.wsgi:app"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/bench/bare", timeout=1).read()
            break
        except OSError:
            time.sleep(0.2)
    try:
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def _wrk(url: str, cookie: str | None) -> float:
    """Requests per second at saturation (wrk, 2 threads, 16 connections)."""
    if shutil.which("wrk") is None:
        return float("nan")
    command = ["wrk", "-t2", "-c16", f"-d{DURATION}s", url]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return float(match.group(1)) if match else float("nan")


def _paced(url: str, cookie: str | None, rate: int = RATE, seconds: int = DURATION) -> list[float]:
    """Open-loop load at a fixed rate; returns each request's latency in ms."""
    latencies: list[float] = []
    lock = threading.Lock()

    def one() -> None:
        request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
        with lock:
            latencies.append((time.perf_counter() - start) * 1000)

    threads = []
    begin = time.perf_counter()
    for n in range(rate * seconds):
        delay = begin + n / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        thread = threading.Thread(target=one)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    return latencies


def _percentile(values: list[float], pct: float) -> float:
    return statistics.quantiles(values, n=100)[int(pct) - 1] if len(values) > 1 else values[0]


def _login_resident(base: str) -> str:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/sv/logga-in").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    data = urllib.parse.urlencode({"csrf_token": token.group(1), "personnummer": "201701012393"}).encode()
    opener.open(base + "/sv/logga-in/utveckling", data=data).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def pages() -> list[tuple[str, str, bool]]:
    """(name, path, needs a resident session) for each page measured."""
    return [("start page /sv/", "/sv/", False), ("login page /sv/logga-in", "/sv/logga-in", False),
            ("resident start page, logged in", "/sv/", True)]


def run() -> list[Result]:
    """Measure every page against the bare route in one server."""
    import urllib.parse  # noqa: F401  (used by _login_resident)

    with tempfile.TemporaryDirectory() as tmp:
        db_url = os.environ.get("PORTAL_BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
        env = _env(db_url, Path(tmp) / "files")
        subprocess.run([str(BIN / "portal"), "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
        subprocess.run([str(BIN / "portal"), "demo", "load"], cwd=ROOT, env=env, check=True, capture_output=True)
        with served(env) as base:
            cookie = _login_resident(base)
            bare_rps = _wrk(base + "/bench/bare", None)
            bare_lat = _paced(base + "/bench/bare", None)
            results = [Result("bare route p95 @50 rps", _percentile(bare_lat, 95), "ms", "bare route p95",
                              _percentile(bare_lat, 95), "")]
            for name, path, logged_in in pages():
                session = cookie if logged_in else None
                rps = _wrk(base + path, session)
                latencies = _paced(base + path, session)
                results += [
                    Result(f"{name}: throughput", rps, "req/s", "bare route throughput", bare_rps,
                           ">= 0.30 of bare"),
                    Result(f"{name}: p95 @{RATE} rps", _percentile(latencies, 95), "ms", "bare route p95",
                           _percentile(bare_lat, 95), "< 300 ms"),
                    Result(f"{name}: p99 @{RATE} rps", _percentile(latencies, 99), "ms", "bare route p99",
                           _percentile(bare_lat, 99), "< 800 ms"),
                ]
    return results
