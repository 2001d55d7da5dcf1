"""The app as served in benchmarks, plus a bare route measured in the same server as the baseline.

PORTAL_BENCH_SQLITE_SYNCHRONOUS=NORMAL (an experiment, never the default) serves SQLite without an fsync per
commit, to show how much of a page's latency is the durable commit of its audit event.
"""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import event

from portal import create_app
from portal.db import db
from portal.security import public

app = create_app()


@public
def bare() -> str:
    """The baseline: a Flask route that does nothing, through the same middleware and server."""
    return "ok"


app.add_url_rule("/bench/bare", "bench_bare", bare)

SYNCHRONOUS = os.environ.get("PORTAL_BENCH_SQLITE_SYNCHRONOUS", "")
if SYNCHRONOUS in ("NORMAL", "FULL", "OFF"):
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _synchronous(dbapi_connection: Any, connection_record: Any) -> None:
        if type(dbapi_connection).__module__.startswith("sqlite3"):
            dbapi_connection.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
