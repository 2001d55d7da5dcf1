"""A list of answers in Arabic and Persian is joined with the Arabic comma ("،"), not a Latin one."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale

from portal.applications.money_questions import COST_CHOICES
from portal.clock import LOCAL_TZ
from tests.applications.helpers import answer_all, start
from tests.pages import get_page, login_resident

pytestmark = pytest.mark.parametrize("clock_at", [datetime(2026, 12, 8, 10, 0, tzinfo=LOCAL_TZ)], indirect=True)


@pytest.mark.parametrize(("lang", "separator"), [("ar", "، "), ("fa", "، "), ("uk", ", ")])
def test_the_costs_chosen_are_listed_with_the_languages_comma(app: Flask, client: FlaskClient, clock_at: datetime,
                                                              lang: str, separator: str) -> None:
    login_resident(client, "201701012393", lang=lang)
    application_id = start(client, lang=lang)
    answer_all(client, application_id, "2026-12", lang=lang)
    review = get_page(client, f"/{lang}/ansokan/{application_id}/granska", lang=lang)
    names = dict(COST_CHOICES)
    with app.test_request_context(), force_locale(lang):
        expected = separator.join(str(names[key]) for key in ("living", "rent", "dental"))
    assert expected in review.get_text(), f"{lang}: {expected!r}"
