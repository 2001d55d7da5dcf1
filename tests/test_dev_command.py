"""`portal dev` (issue 27 point 8): SIGTERM stops the web server and its `portal worker` child, and when the
worker dies on its own the terminal is told. Real processes on a real (SQLite) database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

PORTAL = str(Path(sys.executable).with_name("portal"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(part) for part in text.split()]


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status


@pytest.fixture
def dev(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int]]:
    env = {**os.environ, "PORTAL_ENV": "development", "PORTAL_SECRET_KEY": "test-only",
           "PORTAL_DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}", "PORTAL_STORAGE_DIR": str(tmp_path / "f"),
           "PORTAL_SCHEDULER": "on", "PYTHONUNBUFFERED": "1"}
    subprocess.run([PORTAL, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=120)
    port = _free_port()
    process = subprocess.Popen([PORTAL, "dev", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0 and _children(process.pid):
                break
        time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("portal dev did not start")
    children = _children(process.pid)
    yield process, port
    if process.poll() is None:
        process.kill()
        process.wait()
    for child in children:  # a failed test must not leave its worker running
        if _alive(child):
            os.kill(child, signal.SIGKILL)


def test_sigterm_stops_the_server_and_its_worker(dev: tuple[subprocess.Popen[str], int]) -> None:
    process, _ = dev
    (worker,) = _children(process.pid)
    assert _alive(worker)
    process.send_signal(signal.SIGTERM)
    out, _ = process.communicate(timeout=30)
    assert "stoppade" in out
    deadline = time.monotonic() + 10
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(worker), "the portal worker child outlived portal dev"


def test_a_dying_worker_is_reported(dev: tuple[subprocess.Popen[str], int]) -> None:
    process, port = dev
    (worker,) = _children(process.pid)
    os.kill(worker, signal.SIGKILL)
    time.sleep(1.5)
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) == 0  # the web server carries on
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    assert f"Schemaläggaren (portal worker, process {worker}) har stoppat med kod -9" in err
