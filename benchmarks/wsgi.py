"""The app as served in benchmarks, plus a bare route measured in the same server as the baseline."""

from __future__ import annotations

from portal import create_app
from portal.security import public

app = create_app()


@public
def bare() -> str:
    """The baseline: a Flask route that does nothing, through the same middleware and server."""
    return "ok"


app.add_url_rule("/bench/bare", "bench_bare", bare)
