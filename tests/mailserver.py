"""A real SMTP server (aiosmtpd) for the tests that send e-mail: the `maildir` fixture, loaded by conftest."""

from __future__ import annotations

import mailbox
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from flask import Flask


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def maildir(tmp_path: Path, app: Flask) -> Iterator[mailbox.Maildir]:
    """A real SMTP server delivering into a Maildir, with the app pointed at it."""
    path = tmp_path / "maildir"
    box = mailbox.Maildir(path, create=True)
    port = free_port()
    controller = Controller(Mailbox(path), hostname="127.0.0.1", port=port)
    controller.start()
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    yield box
    controller.stop()
