"""Issue 28, point 4: letter variants. The draw is recorded, reproducible and balanced; one running test per
kind; stopping is one click; the variant's words are in the printed letter in both its languages; the
statistics compare the arms and say plainly when the difference is not clear yet. Both databases."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from outreach.funnel import variants
from outreach.funnel.models import Arm, LetterVariant, VariantAssignment
from outreach.notices.models import NoticeKind
from outreach.reports import funnel as funnel_stats
from portal.audit import AuditEvent
from portal.db import db
from portal.letters.service import read_letter_pdf
from portal.staff.models import Role
from portal.statistics.tables import Period
from portal.statistics.wilson import wilson
from tests.factories import PASSWORD, create_staff_user
from tests.outreach.funnel.helpers import TUESDAY, first_letter, new_notice, travel
from tests.pages import get_page, login_staff, submit
from tests.statistics.factories import add_attempt, add_notice

LANGS = ("sv", "en", "ar", "fa", "so", "ti", "fi", "uk")
TEXTS = {lang: {"heading": f"Rubrik-{lang} Hyran och ditt hem", "opening": f"Inledning-{lang}: ring oss i dag."}
         for lang in LANGS}


@pytest.fixture
def on_tuesday() -> Iterator[None]:
    yield from travel(TUESDAY)


def test_the_draw_is_reproducible_and_balanced() -> None:
    arms = [variants.draw("fixed-seed", notice_id, 50) for notice_id in range(1, 4001)]
    assert arms == [variants.draw("fixed-seed", notice_id, 50) for notice_id in range(1, 4001)]
    share = arms.count(Arm.VARIANT) / len(arms)
    # Within four standard errors of a half (σ = 0.79 % at 4,000): a fair coin, not a skewed one.
    assert abs(share - 0.5) < 4 * (0.25 / 4000) ** 0.5
    low, high = wilson(arms.count(Arm.VARIANT), 4000)
    assert low < 0.5 < high
    twenty = [variants.draw("other-seed", notice_id, 20) for notice_id in range(1, 4001)]
    assert abs(twenty.count(Arm.VARIANT) / 4000 - 0.2) < 4 * (0.16 / 4000) ** 0.5


def test_every_language_is_required_and_one_test_runs_per_kind(app: Flask) -> None:
    admin = create_staff_user(email="ada@example.org", role=Role.ADMIN)
    without_tigrinya = {lang: text for lang, text in TEXTS.items() if lang != "ti"}
    with pytest.raises(variants.VariantError, match="saknas på: ti"):
        variants.start(kind="uppsagning", name="Kort", share_percent=50, texts=without_tigrinya, staff_id=admin.id)
    first = variants.start(kind="uppsagning", name="Kort", share_percent=50, texts=TEXTS, staff_id=admin.id)
    with pytest.raises(variants.VariantError, match="pågår redan"):
        variants.start(kind="uppsagning", name="Annan", share_percent=30, texts=TEXTS, staff_id=admin.id)
    assert variants.start(kind="storning", name="Störning", share_percent=30, texts=TEXTS, staff_id=admin.id)
    variants.stop(first.id, staff_id=admin.id)
    assert variants.start(kind="uppsagning", name="Nästa", share_percent=30, texts=TEXTS, staff_id=admin.id)
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("outreach.letter_variant%")))
    assert sorted(actions) == ["outreach.letter_variant_started"] * 3 + ["outreach.letter_variant_stopped"]


def _letter_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "variant.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return re.sub(r"\s+", " ", text)


def test_each_notice_records_its_arm_and_the_variant_is_printed_in_both_languages(
        app: Flask, on_tuesday: None, tmp_path: Path) -> None:
    admin = create_staff_user(email="ada@example.org", role=Role.ADMIN)
    test = variants.start(kind="uppsagning", name="Kort", share_percent=50, texts=TEXTS, staff_id=admin.id)
    notices = [new_notice(f"VAR-{index}", adress=f"Variantgatan {index}", sprak="en") for index in range(12)]
    recorded = {row.notice_id: row for row in db.session.scalars(select(VariantAssignment))}
    assert set(recorded) == {notice.id for notice in notices}
    for notice in notices:
        assignment = recorded[notice.id]
        assert assignment.variant_id == test.id
        assert assignment.arm == variants.draw(test.seed, notice.id, 50)  # recorded as drawn
        letter = first_letter(notice)
        text = _letter_text(read_letter_pdf(letter), tmp_path)
        if assignment.arm == Arm.VARIANT:
            assert "Rubrik-sv Hyran och ditt hem" in text and "Rubrik-en Hyran och ditt hem" in text
            assert "Inledning-en: ring oss i dag." in text
            assert letter.template_version.endswith(f"+variant-{test.id}")
        else:
            assert "Rubrik-" not in text and "Vi vill hjälpa dig att behålla din bostad" in text
    # A notice of another kind is not in the test.
    other = new_notice("VAR-KFM", typ="avhysning", skuld="", uppsagning="",
                       avhysning=f"{(TUESDAY + timedelta(days=20)).isoformat()} 09:00")
    assert db.session.scalar(select(VariantAssignment).where(VariantAssignment.notice_id == other.id)) is None


def test_stopping_is_one_click_and_new_notices_get_the_standard_letter(
        app: Flask, client: FlaskClient, on_tuesday: None) -> None:
    admin = create_staff_user(email="ada@example.org", role=Role.ADMIN)
    login_staff(client, admin.email, PASSWORD)
    data = {"kind": "uppsagning", "name": "Kort brev", "share": "90",
            **{f"heading_{lang}": TEXTS[lang]["heading"] for lang in LANGS},
            **{f"opening_{lang}": TEXTS[lang]["opening"] for lang in LANGS}}
    assert submit(client, "/staff/brevvarianter/", data).status_code == 302
    test = db.session.scalar(select(LetterVariant))
    assert test is not None and test.share_percent == 90 and test.stopped_at is None
    page = get_page(client, "/staff/brevvarianter/")
    stop = page.find("form", action=f"/staff/brevvarianter/{test.id}/stoppa")
    assert stop is not None and stop.find("button") is not None
    assert submit(client, "/staff/brevvarianter/", {}, action=f"/staff/brevvarianter/{test.id}/stoppa"
                  ).status_code == 302
    db.session.refresh(test)
    assert test.stopped_at is not None
    notice = new_notice("AFTER-STOP")
    assert db.session.scalar(select(VariantAssignment).where(VariantAssignment.notice_id == notice.id)) is None


def test_a_form_missing_a_language_is_shown_again_with_what_was_typed(app: Flask, client: FlaskClient) -> None:
    admin = create_staff_user(email="ada@example.org", role=Role.ADMIN)
    login_staff(client, admin.email, PASSWORD)
    data = {"kind": "uppsagning", "name": "Halv", "share": "50",
            **{f"heading_{lang}": TEXTS[lang]["heading"] for lang in LANGS if lang != "fa"},
            **{f"opening_{lang}": TEXTS[lang]["opening"] for lang in LANGS}}
    answer = submit(client, "/staff/brevvarianter/", data)
    assert answer.status_code == 400 and "Skriv rubriken på persiska." in answer.text
    assert "Rubrik-ar Hyran och ditt hem" in answer.text
    assert db.session.scalar(select(LetterVariant)) is None


def test_only_administrators_manage_variants(app: Flask, client: FlaskClient) -> None:
    staff = create_staff_user(email="ulla@example.org", role=Role.OUTREACH)
    login_staff(client, staff.email, PASSWORD)
    assert client.get("/staff/brevvarianter/").status_code == 403


def _arm(test: LetterVariant, prefix: str, count: int, reached: int, arm: Arm) -> None:
    for index in range(count):
        notice = add_notice(reference=f"{prefix}-{index}", kind=NoticeKind.TERMINATION, received=date(2026, 6, 1),
                            deadline=date(2026, 6, 22))
        db.session.add(VariantAssignment(notice_id=notice.id, variant_id=test.id, arm=arm))
        if index < reached:
            add_attempt(notice, on=date(2026, 6, 10))


@pytest.mark.parametrize(("standard", "variant", "verdict"), [
    ((40, 14), (40, 18), "Skillnaden är ännu inte säker"),
    ((200, 50), (200, 110), "Varianten når fler hushåll i tid"),
    ((4, 1), (3, 2), "För få underrättelser ännu"),
])
def test_the_statistics_compare_the_arms_and_say_when_it_is_not_clear(
        app: Flask, standard: tuple[int, int], variant: tuple[int, int], verdict: str) -> None:
    admin = create_staff_user(email="ada@example.org", role=Role.ADMIN)
    test = variants.start(kind="uppsagning", name="Kort", share_percent=50, texts=TEXTS, staff_id=admin.id)
    _arm(test, "STD", *standard, arm=Arm.STANDARD)
    _arm(test, "VAR", *variant, arm=Arm.VARIANT)
    db.session.commit()
    tables = funnel_stats.build(Period(date(2026, 5, 1), date(2026, 8, 31)), 5, today=date(2026, 10, 1))
    table = next(table for table in tables if table.key == f"variant_{test.id}")
    assert verdict in table.note
    assert table.rows[0][:3] == ["Vanliga brevet", standard[0], standard[1]]
    if verdict != "För få underrättelser ännu":
        assert table.rows[1][3] == round(100 * variant[1] / variant[0], 1)
        assert table.rows[2][0].startswith("Skillnad")  # type: ignore[union-attr]
