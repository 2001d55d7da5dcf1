"""The working-day settings are read from the configuration (PORTAL_DECISION/OVERALL_LIMIT_WORKING_DAYS)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from flask import Flask

from portal.clock import LOCAL_TZ
from portal.config import load
from portal.intake.models import Source
from portal.intake.service import deadlines_for
from tests.intake.factories import create_item


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"DECISION_WORKING_DAYS": 10, "OVERALL_LIMIT_WORKING_DAYS": 20}


def test_configured_working_days_move_the_deadlines(app: Flask) -> None:
    item = create_item(source=Source.E_APPLICATION, received_at=datetime(2026, 12, 21, 9, tzinfo=LOCAL_TZ),
                       documents_complete_on=date(2026, 12, 22))
    result = deadlines_for(item)
    assert result.decision_on == date(2027, 1, 12)
    assert result.overall_on == date(2027, 1, 25)
    assert item.due_on == date(2027, 1, 12)


def test_environment_variables_and_defaults() -> None:
    assert load({})["DECISION_WORKING_DAYS"] == 5
    assert load({})["OVERALL_LIMIT_WORKING_DAYS"] == 15
    config = load({"PORTAL_DECISION_WORKING_DAYS": "14", "PORTAL_OVERALL_LIMIT_WORKING_DAYS": "30",
                   "PORTAL_HANDOFF_DIR": "/srv/handoff", "PORTAL_HANDOFF_URL": "https://cases.example.org/in"})
    assert (config["DECISION_WORKING_DAYS"], config["OVERALL_LIMIT_WORKING_DAYS"]) == (14, 30)
    assert (config["HANDOFF_DIR"], config["HANDOFF_URL"]) == ("/srv/handoff", "https://cases.example.org/in")
