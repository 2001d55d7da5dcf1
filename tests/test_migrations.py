"""Migrations: one head, and the migrated schema is exactly what the models say, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask

from portal.db import Base, db
from portal.migrate import downgrade, heads, upgrade


def test_there_is_exactly_one_migration_head() -> None:
    assert len(heads()) == 1


def test_migrated_schema_matches_the_models(app: Flask) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_downgrade_to_empty_and_up_again(app: Flask) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    db.session.remove()
    db.engine.dispose()
    downgrade("base", url=url)
    upgrade(url=url)
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
