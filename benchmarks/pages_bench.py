"""Pages under load: gunicorn with its usual worker count, driven by wrk (throughput) and a paced client (latency).

Baseline: a bare Flask route in the same server, in the same run. Targets (issue 26, replacing issue 8's 30 % of
the bare route): p95 < 300 ms and p99 < 800 ms at 50 requests per second sustained, and each resident page at
least 275 requests per second (five times the national peak) on two cores; the ratio to the bare route is kept
for information.
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
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

from benchmarks import Result

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORKERS = 2 * (os.cpu_count() or 1) + 1
# As README's production command: threaded workers, so a page request is not queued behind uploads that hold
# every worker process while their bodies arrive and are checked. Eight threads, not four: a process that had
# taken four of ten simultaneous uploads queued the next page behind them (p99 up to 650 ms; 139 with eight).
THREADS = 8
DURATION = int(os.environ.get("PORTAL_BENCH_SECONDS", "8"))
RATE = 50
# Issue 26: a resident page serves five times the national peak on two cores.
RESIDENT_RPS = 275
TIMEOUT = 30.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(db_url: str, storage: Path) -> dict[str, str]:
    return {**os.environ, "PORTAL_ENV": "development", "PORTAL_STAFF_MFA": "off", "PORTAL_DATABASE_URL": db_url,
            "PORTAL_STORAGE_DIR": str(storage), "PORTAL_SCHEDULER": "off",
            "PORTAL_RATELIMIT_STORAGE_URL": "memory://",
            # One key for every worker, so a session made by one worker is valid in the others.
            "PORTAL_SECRET_KEY": os.environ.get("PORTAL_SECRET_KEY", "benchmark-only")}


@contextmanager
def served(env: dict[str, str]) -> Iterator[str]:
    """gunicorn serving benchmarks.wsgi:app; yields the base URL."""
    port = _free_port()
    process = subprocess.Popen([str(BIN / "gunicorn"), "-w", str(WORKERS), "-k", "gthread", "--threads", str(THREADS),
                                "-b", f"127.0.0.1:{port}",
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
    """Requests per second at saturation (wrk, 2 threads, 16 connections); NaN without wrk.

    Any error answer stops the benchmark (throughput of error pages is not throughput); socket errors are printed.
    """
    if shutil.which("wrk") is None:
        return float("nan")
    command = ["wrk", "-t2", "-c16", f"-d{DURATION}s", "--timeout", f"{TIMEOUT:.0f}s", url]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        raise RuntimeError(f"wrk on {url}: error responses\n{out}")
    if "Socket errors" in out:
        print(f"   wrk on {url}: {out.split('Socket errors:')[1].splitlines()[0].strip()}", flush=True)
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return float(match.group(1)) if match else float("nan")


def warm_up(url: str, cookie: str | None, requests: int = 4 * WORKERS) -> None:
    """A few requests first, so that every worker has compiled its templates and opened its connection."""
    for _ in range(requests):
        request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()


@dataclass
class Paced:
    """What a paced run saw: every request's latency in ms (a timed-out one counts as TIMEOUT), and failures."""

    latencies: list[float]
    failed: int
    first_failure: str = ""

    def p(self, pct: float) -> float:
        """A percentile of the latencies."""
        return _percentile(self.latencies, pct)

    def failure_results(self, name: str) -> list[Result]:
        """A table row for failed or timed-out requests, when there were any (none are hidden)."""
        if not self.failed:
            return []
        print(f"   {name}: {self.failed} requests failed or timed out, first: {self.first_failure}", flush=True)
        return [Result(f"{name}: failed or timed out", self.failed, "req", "requests sent", len(self.latencies),
                       "0")]


def _paced(url: str, cookie: str | None, rate: int = RATE, seconds: int = DURATION) -> Paced:
    """Open-loop load at a fixed rate (a new request every 1/rate s, whether or not earlier ones finished).

    A request that times out counts with the timeout as its latency, so the percentiles see it; one that fails
    (an error status, a refused connection) is counted as failed and reported in the table.
    """
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def one() -> None:
        request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                response.read()
        except OSError as error:  # HTTPError (4xx/5xx), timeouts and refused connections alike
            with lock:
                failures.append(str(error))
                latencies.append(TIMEOUT * 1000 if "timed out" in str(error) else float("nan"))
            return
        with lock:
            latencies.append((time.perf_counter() - start) * 1000)

    warm_up(url, cookie)
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
    measured = [value for value in latencies if value == value]  # NaN: failed without a latency
    return Paced(measured, len(failures), failures[0] if failures else "")


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
    """Measure every page against the bare route in one server, on a fresh database with the demo data."""
    from benchmarks.db import fresh_database

    with tempfile.TemporaryDirectory() as tmp, fresh_database(Path(tmp), "pages", migrate=False) as db_url:
        env = _env(db_url, Path(tmp) / "files")
        subprocess.run([str(BIN / "portal"), "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
        subprocess.run([str(BIN / "portal"), "demo", "load"], cwd=ROOT, env=env, check=True, capture_output=True)
        with served(env) as base:
            cookie = _login_resident(base)
            bare = _paced(base + "/bench/bare", None)
            bare_rps = _wrk(base + "/bench/bare", None)
            results = [Result("bare route p50 @50 rps", bare.p(50), "ms", "bare route p50", bare.p(50), ""),
                       Result("bare route p95 @50 rps", bare.p(95), "ms", "bare route p95", bare.p(95), ""),
                       *bare.failure_results("bare route")]
            for name, path, logged_in in pages():
                session = cookie if logged_in else None
                paced = _paced(base + path, session)
                rps = _wrk(base + path, session)
                results += [
                    Result(f"{name}: throughput", rps, "req/s", "bare route throughput", bare_rps,
                           f">= {RESIDENT_RPS} req/s"),
                    Result(f"{name}: p50 @{RATE} rps", paced.p(50), "ms", "bare route p50", bare.p(50), ""),
                    Result(f"{name}: p95 @{RATE} rps", paced.p(95), "ms", "bare route p95", bare.p(95), "< 300 ms"),
                    Result(f"{name}: p99 @{RATE} rps", paced.p(99), "ms", "bare route p99", bare.p(99), "< 800 ms"),
                    *paced.failure_results(name),
                ]
    return results
