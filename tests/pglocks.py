"""For the PostgreSQL concurrency tests: is some session of this database waiting on a row lock right now?"""

from __future__ import annotations

from sqlalchemy import create_engine, text


def waiting_for_lock(url: str) -> bool:
    """True when another connection to the database at `url` is blocked on a lock (pg_stat_activity)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            waiting = conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                        "AND wait_event_type = 'Lock'")).scalar()
        return bool(waiting)
    finally:
        engine.dispose()
