"""Applications in a given state, made through the service functions (as the pages make them)."""

from __future__ import annotations

from typing import Any

from portal.applications import service
from portal.applications.models import Application

ANSWERS: dict[str, dict[str, Any]] = {
    "about": {"name": "Amina Test", "street": "Storgatan 1", "postcode": "123 45", "city": "Kommunen",
              "phone": "", "email": "amina@example.org", "interpreter": "no", "interpreter_language": "",
              "urgent": "no"},
    "partner": {"has_partner": "no", "partner_name": "", "partner_personnummer": ""},
    "children": {"has_children": "no"},
    "housing": {"housing": "rental", "rent": "6500", "rent_arrears": "no"},
    "income": {"income_types": ["salary"], "income_amount": "4500", "partner_income_types": [],
               "partner_income_amount": ""},
    "benefits": {"received": [], "applied": [], "job_seeker": "no", "sick_leave": "no"},
    "assets": {"accounts": "1", "savings": "0", "car": "no", "property": "no", "other_assets": "no"},
    "costs": {"costs": ["living", "rent"], "electricity": "", "home_insurance": "", "special_description": "",
              "special_amount": ""},
    "month": {"month": "2026-11", "changes": "", "other": ""},
}


def create_application(*, person_id: int, language: str = "sv", answers: dict[str, dict[str, Any]] | None = None,
                       **overrides: dict[str, Any]) -> Application:
    """A draft with every page answered (pages in `overrides` replace the defaults)."""
    application = service.start_application(person_id, language=language)
    pages = {**(answers or ANSWERS), **overrides}
    for key, values in pages.items():
        service.save_step(application, key, values, person_id=person_id)
    return application
