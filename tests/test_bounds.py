"""Bounded input: every form field has a limit no larger than its columns, and values at the limit are saved.

The columns are only strict on PostgreSQL (SQLite keeps any length), so the saving tests run on both.
"""

from __future__ import annotations

import importlib
import pkgutil
from datetime import datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import String, select
from wtforms import StringField

import outreach
import portal
from portal.applications.models import Application, Status
from portal.bounds import MAX_FILES_PER_REQUEST, column_length, limit_of
from portal.clock import local_today
from portal.db import Base, db
from portal.forms import BaseForm
from portal.intake.models import IntakeItem
from tests.applications.helpers import answer_all, page_url, start
from tests.pages import login_resident, submit
from tests.pinned_days import ON_PINNED_DAYS

PHONE = "070-123 45 67 (dagtid), 08-123 456 78 (kväll)"


def _all_forms() -> list[type[BaseForm]]:
    for package in (portal, outreach):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
    found: list[type[BaseForm]] = []
    todo = list(BaseForm.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo += cls.__subclasses__()
    return found


def test_every_text_field_of_every_form_has_a_limit_no_larger_than_its_columns(app: Flask) -> None:
    forms = _all_forms()
    assert len(forms) > 30
    unbounded, too_long = [], []
    with app.test_request_context("/"):
        for cls in forms:
            form = cls(meta={"csrf": False})
            for field in form:
                if not isinstance(field, StringField) or field.name == "csrf_token":
                    continue
                limit = limit_of(field)
                if limit is None:
                    unbounded.append(f"{cls.__module__}.{cls.__name__}.{field.name}")
                    continue
                for column in cls.columns.get(field.name, ()):
                    length = column_length(column)
                    if length is not None and limit > length:
                        too_long.append(f"{cls.__name__}.{field.name}: {limit} > {column} ({length})")
            for name in cls.columns:
                assert name in form, f"{cls.__name__}.columns names {name}, which is not a field"
    assert unbounded == []
    assert too_long == []


def test_every_string_column_has_a_length_or_is_text(app: Flask) -> None:
    # An unbounded VARCHAR would let a limit be forgotten silently; TEXT columns are bounded by their forms.
    bare = [f"{table.name}.{column.name}" for table in Base.metadata.tables.values() for column in table.columns
            if type(column.type) is String and column.type.length is None]
    assert bare == []


def test_notice_limits_match_the_notice_columns() -> None:
    from outreach.notices.parse import FIELD_LIMITS, STORED_AS

    for name, column in STORED_AS.items():
        length = column_length(column)
        assert length is not None and FIELD_LIMITS[name] <= length, name


def _about(**overrides: str) -> dict[str, str]:
    data = {"name": "Amina Test", "street": "Storgatan 1", "postcode": "12345", "city": "Kommunen",
            "phone": "070-000 00 00", "email": "amina@example.org", "interpreter": "no",
            "interpreter_language": "", "urgent": "no"}
    return {**data, **overrides}


@ON_PINNED_DAYS
def test_a_two_number_phone_answer_is_submitted(app: Flask, client: FlaskClient, clock_at: datetime) -> None:
    login_resident(client, "201701012393")
    application_id = start(client)
    answer_all(client, application_id, month=_month(client, application_id))
    assert submit(client, page_url(application_id, "om-dig"), _about(phone=PHONE)).status_code == 302
    response = submit(client, f"/sv/ansokan/{application_id}/granska", {},
                      action=f"/sv/ansokan/{application_id}/skicka")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    application = db.session.get(Application, application_id)
    assert application is not None and application.status == Status.SUBMITTED
    item = db.session.scalar(select(IntakeItem).where(IntakeItem.id == application.intake_item_id))
    assert item is not None and item.contact_phone == PHONE


@ON_PINNED_DAYS
def test_every_about_field_at_its_limit_is_saved_and_submitted(app: Flask, client: FlaskClient,
                                                               clock_at: datetime) -> None:
    login_resident(client, "201701012393")
    application_id = start(client)
    answer_all(client, application_id, month=_month(client, application_id))
    local = "a" * 64
    email = f"{local}@{'b' * (254 - len(local) - 4)}.se"
    assert len(email) == 254
    at_limit = _about(name="N" * 200, street="S" * 200, city="C" * 100, phone="0" * 100, email=email,
                      interpreter="yes", interpreter_language="L" * 100)
    assert submit(client, page_url(application_id, "om-dig"), at_limit).status_code == 302
    response = submit(client, f"/sv/ansokan/{application_id}/granska", {},
                      action=f"/sv/ansokan/{application_id}/skicka")
    assert response.status_code == 302
    application = db.session.get(Application, application_id)
    assert application is not None and application.status == Status.SUBMITTED and application.email == email


def test_one_character_over_is_refused_in_the_residents_language(app: Flask, client: FlaskClient) -> None:
    login_resident(client, "201701012393", lang="en")
    application_id = start(client, lang="en")
    email = "a" * 250 + "@b.se"
    response = submit(client, page_url(application_id, "om-dig", "en"), _about(email=email, phone="0" * 101))
    assert response.status_code in (200, 400)
    page = response.get_data(as_text=True)
    assert "The answer is too long. Write at most 254 characters." in page
    assert "The answer is too long. Write at most 100 characters." in page
    application = db.session.get(Application, application_id)
    assert application is not None and "about" not in application.answers


def test_a_long_free_text_answer_and_a_5_mb_one_are_refused_with_the_limit(app: Flask, client: FlaskClient) -> None:
    login_resident(client, "201701012393")
    application_id = start(client)
    data = {"costs": ["living", "dental"], "special_description": "x" * 4001, "special_amount": "100"}
    response = submit(client, page_url(application_id, "kostnader"), data)
    assert "Svaret är för långt. Skriv högst 4000 tecken." in response.get_data(as_text=True)
    data["special_description"] = "x" * (5 * 1024 * 1024)
    response = submit(client, page_url(application_id, "kostnader"), data)
    assert response.status_code == 400
    assert "Svaret är för långt. Skriv högst 4000 tecken." in response.get_data(as_text=True)
    application = db.session.get(Application, application_id)
    assert application is not None and "costs" not in application.answers


def _month(client: FlaskClient, application_id: int) -> str:
    """This month by the Swedish date, as the month page offers it."""
    return local_today().strftime("%Y-%m")


def _upload_url(client: FlaskClient, application_id: int) -> str:
    application = db.session.get(Application, application_id)
    assert application is not None and application.checklist
    return f"/sv/ansokan/{application_id}/handlingar/{application.checklist[0].id}"


@ON_PINNED_DAYS
def test_too_many_files_in_one_request_are_refused(app: Flask, client: FlaskClient, clock_at: datetime) -> None:
    import io

    from tests.documents.samples import simple_pdf
    from tests.pages import csrf_token

    login_resident(client, "201701012393")
    application_id = start(client)
    answer_all(client, application_id, month=_month(client, application_id))
    url = _upload_url(client, application_id)
    pdf = simple_pdf()

    def post(count: int) -> Any:
        files = [(io.BytesIO(pdf), f"sida{n}.pdf") for n in range(count)]
        return client.post(url, data={"csrf_token": csrf_token(client, url), "files": files},
                           content_type="multipart/form-data")

    from portal.documents.models import Document

    response = post(MAX_FILES_PER_REQUEST + 1)
    assert response.status_code == 400
    assert f"högst {MAX_FILES_PER_REQUEST} filer åt gången" in response.get_data(as_text=True)
    assert db.session.scalar(select(Document)) is None
    # 900 parts are refused while the form is read (MAX_FORM_PARTS); shown with fields, since Werkzeug leaves
    # the temporary files of parts it read before refusing to the garbage collector, in whichever test runs next.
    response = client.post(url, data={"csrf_token": csrf_token(client, url),
                                      **{f"files{n}": "x" for n in range(900)}},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert "för stort eller har för många filer" in response.get_data(as_text=True)
    assert db.session.scalar(select(Document)) is None
