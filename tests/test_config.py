"""Configuration and the refusal to start production unsafely."""

import pytest
from flask import Flask

from portal import config, create_app
from portal.config import ConfigError
from tests.factories import GOOD_KEY


def test_production_without_secret_key_refuses_to_start() -> None:
    with pytest.raises(ConfigError, match="PORTAL_SECRET_KEY"):
        config.check_safe(config.load({"PORTAL_ENV": "production"}))


def test_production_with_development_login_refuses_to_start() -> None:
    env = {"PORTAL_ENV": "production", "PORTAL_SECRET_KEY": GOOD_KEY, "PORTAL_DEV_LOGIN": "on"}
    with pytest.raises(ConfigError, match="PORTAL_DEV_LOGIN=off"):
        config.check_safe(config.load(env))


def test_production_with_a_secret_and_no_development_login_starts() -> None:
    env = {"PORTAL_ENV": "production", "PORTAL_SECRET_KEY": GOOD_KEY}
    settings = config.load(env)
    config.check_safe(settings)
    assert settings["DEV_LOGIN"] is False
    assert settings["SESSION_COOKIE_SECURE"] is True


def test_development_has_the_development_login_by_default() -> None:
    settings = config.load({"PORTAL_ENV": "development"})
    assert settings["DEV_LOGIN"] is True


def test_relative_sqlite_path_lives_under_the_project() -> None:
    settings = config.load({"PORTAL_ENV": "development"})
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{config.PROJECT_ROOT}/instance/portal.sqlite3"


def test_create_app_refuses_production_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        create_app()


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (config.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [s.name for s in config.SETTINGS if f"`{s.name}`" not in readme]
    assert missing == []


def test_postgresql_inserts_many_rows_in_short_statements_and_a_set_option_wins() -> None:
    from portal.config import PG_INSERT_ROWS_PER_STATEMENT, engine_options

    postgres = {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://portal@db/portal",
                "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True}}
    assert engine_options(postgres) == {"pool_pre_ping": True,
                                        "insertmanyvalues_page_size": PG_INSERT_ROWS_PER_STATEMENT}
    assert engine_options({**postgres, "SQLALCHEMY_ENGINE_OPTIONS": {"insertmanyvalues_page_size": 500}}) == {
        "insertmanyvalues_page_size": 500}
    assert engine_options({"SQLALCHEMY_DATABASE_URI": "sqlite:///x.db"}) == {}


def test_the_running_engine_has_the_options(app: Flask, backend: str) -> None:
    from portal.config import PG_INSERT_ROWS_PER_STATEMENT
    from portal.db import db

    expected = PG_INSERT_ROWS_PER_STATEMENT if backend == "postgresql" else 1000  # SQLAlchemy's own default
    assert db.engine.dialect.insertmanyvalues_page_size == expected
