"""Answers and page walks shared by the e-application tests."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.pages import submit

# One complete set of answers, page by page, as a resident types them (spaces and decimal commas included).
PAGES: list[tuple[str, dict[str, Any]]] = [
    ("om-dig", {"name": "Amina Test", "street": "Storgatan 1", "postcode": "12345", "city": "Kommunen",
                "phone": "070-000 00 00", "email": "amina@example.org", "interpreter": "yes",
                "interpreter_language": "arabiska", "urgent": "no"}),
    ("make-maka-sambo", {"has_partner": "no"}),
    ("barn", {"has_children": "yes", "child1_name": "Sara", "child1_born": "2019-04-23", "child1_living": "full"}),
    ("boende", {"housing": "rental", "rent": "6 500", "rent_arrears": "no"}),
    ("inkomster", {"income_types": ["salary"], "income_amount": "4 500,50"}),
    ("ersattningar", {"received": ["child_allowance"], "job_seeker": "yes", "sick_leave": "no"}),
    ("tillgangar", {"accounts": "2", "savings": "0", "car": "no", "property": "no", "other_assets": "no"}),
    ("kostnader", {"costs": ["living", "rent", "dental"], "special_description": "Lagning av en tand",
                   "special_amount": "1 200"}),
]


def page_url(application_id: int, slug: str, lang: str = "sv") -> str:
    """The address of one question page."""
    return f"/{lang}/ansokan/{application_id}/fraga/{slug}"


def start(client: FlaskClient, lang: str = "sv") -> int:
    """Start an application through the page and return its id."""
    response = submit(client, f"/{lang}/ansokan/", {}, action=f"/{lang}/ansokan/ny")
    assert response.status_code == 302, response.status_code
    return int(response.headers["Location"].split("/ansokan/")[1].split("/")[0])


def answer_all(client: FlaskClient, application_id: int, month: str, lang: str = "sv") -> TestResponse:
    """Answer every question page; returns the last page's response."""
    response = None
    for slug, data in [*PAGES, ("manad", {"month": month, "other": ""})]:
        response = submit(client, page_url(application_id, slug, lang), data)
        assert response.status_code == 302, (slug, response.status_code, response.get_data(as_text=True)[:2000])
    assert response is not None
    return response
