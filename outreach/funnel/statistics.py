"""Statistics for the board: contact before the deadline, attendance and tenancy outcomes, by notice kind,
language, channel of first contact, landlord and month, each share with its 95 % Wilson interval; and the
letter-variant tests compared on contact before the deadline.

Counted in the database: one row per notice (its first contact found with a window function over the contact
events of outreach.funnel.contact), grouped per dimension. A notice counts once its deadline has passed, when
whether it was reached in time is settled. Notices the caseworker (known clients) or another municipality
(out of area) handles are left out, as in outreach.statistics.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import and_, case, extract, func, literal, select

from outreach.funnel.contact import CHANNEL_LABELS, RECEPTION, case_key, contact_events
from outreach.funnel.models import Arm, LetterVariant, VariantAssignment
from outreach.notices.models import Notice, NoticeKind, TenancyOutcome
from outreach.reports.statistics import KIND_LABELS, NOT_OURS
from portal.clock import local_today
from portal.db import db
from portal.people import Person
from portal.statistics.dates import month_label, utc_day
from portal.statistics.tables import Cell, Period, Table
from portal.statistics.wilson import difference, percent, wilson

LANGUAGE_LABELS = {"sv": "svenska", "en": "engelska", "ar": "arabiska", "fa": "persiska", "so": "somaliska",
                   "ti": "tigrinja", "fi": "finska", "uk": "ukrainska", None: "okänt"}
KEPT = (TenancyOutcome.KEPT.value, TenancyOutcome.AGREEMENT.value)
MEASURES = (("Kontakt i tid", "i tid"), ("Kom till mottagningen", "kom"), ("Behöll bostaden", "behöll"))
NOTE = ("Räknar underrättelser vars frist (återvinningsfristen, dagen för avhysning eller målet tre veckor) har "
        "passerat. Kontakt: ombokning eller avbokning på webben, besök, samtal in eller att personalen nådde "
        "hushållet. Behöll bostaden: bor kvar eller avbetalningsplan, som personalen registrerat. KI är ett 95 % "
        "Wilson-intervall: den verkliga andelen ligger med stor sannolikhet där. Andelar och intervall visas inte "
        "när underlaget eller antalet är för litet.")


@dataclass(frozen=True)
class Counts:
    """One group's counts: notices, reached in time, attended, kept the home, evicted."""

    notices: int
    in_time: int
    attended: int
    kept: int
    evicted: int


def landlord_minimum() -> int:
    """PORTAL_STATS_MIN_LANDLORD: a landlord gets a row of its own from this many notices."""
    return int(current_app.config.get("STATS_MIN_LANDLORD", 20))


def per_notice(period: Period, today: date) -> Any:
    """One row per counted notice: its dimensions, its first contact (time and channel), attendance, outcome."""
    events = contact_events().subquery("ev")
    ranked = (select(Notice.id.label("nid"), events.c.at, events.c.channel,
                     func.row_number().over(partition_by=Notice.id, order_by=(events.c.at, events.c.channel))
                     .label("rn"))
              .join(events, and_(events.c.case_key == case_key(), utc_day(events.c.at) >= Notice.received_date))
              .where(*_counted(period, today)).subquery("ranked"))
    first = select(ranked.c.nid, ranked.c.at, ranked.c.channel).where(ranked.c.rn == 1).subquery("first_contact")
    came = (select(events.c.case_key, func.max(events.c.at).label("last")).where(events.c.channel == RECEPTION)
            .group_by(events.c.case_key).subquery("came"))
    in_time = case((and_(first.c.at.is_not(None), utc_day(first.c.at) <= Notice.deadline), 1), else_=0)
    attended = case((and_(came.c.last.is_not(None), utc_day(came.c.last) >= Notice.received_date), 1), else_=0)
    return (select(Notice.id.label("notice_id"), Notice.kind.label("kind"),
                   func.coalesce(Notice.language, Person.language).label("language"),
                   Notice.landlord_name.label("landlord"),
                   extract("year", Notice.received_date).label("year"),
                   extract("month", Notice.received_date).label("month"),
                   func.coalesce(first.c.channel, literal("none")).label("channel"),
                   VariantAssignment.variant_id.label("variant_id"), VariantAssignment.arm.label("arm"),
                   in_time.label("in_time"), attended.label("attended"),
                   case((Notice.tenancy_outcome.in_(KEPT), 1), else_=0).label("kept"),
                   case((Notice.tenancy_outcome == TenancyOutcome.EVICTED, 1), else_=0).label("evicted"))
            .select_from(Notice)
            .outerjoin(Person, Person.id == Notice.person_id)
            .outerjoin(first, first.c.nid == Notice.id)
            .outerjoin(came, came.c.case_key == case_key())
            .outerjoin(VariantAssignment, VariantAssignment.notice_id == Notice.id)
            .where(*_counted(period, today)).subquery("funnel_row"))


def _counted(period: Period, today: date) -> list[Any]:
    return [Notice.received_date >= period.start, Notice.received_date <= period.end, Notice.superseded.is_(False),
            Notice.outcome.not_in(NOT_OURS), Notice.deadline.is_not(None), Notice.deadline < today]


def grouped(rows: Any, *columns: Any) -> dict[tuple[Any, ...], Counts]:
    """Counts per value of `columns`, summed in the database."""
    query = select(*columns, func.count(), func.sum(rows.c.in_time), func.sum(rows.c.attended),
                   func.sum(rows.c.kept), func.sum(rows.c.evicted)).group_by(*columns)
    width = len(columns)
    return {tuple(row[:width]): Counts(*(int(value or 0) for value in row[width:]))
            for row in db.session.execute(query)}


def share_cells(part: int, whole: int, minimum: int) -> list[Cell]:
    """[share %, low %, high %] with the Wilson interval, or three blanks when the whole or the part is too small
    to publish (the part is then shown as <N, and a share would give it away)."""
    if whole < minimum or 0 < part < minimum:
        return [None, None, None]
    low, high = wilson(part, whole)
    return [percent(part / whole), percent(low), percent(high)]


def columns(first: str) -> list[str]:
    """The header of a funnel table."""
    header = [first, "Underrättelser"]
    for label, short in MEASURES:
        header += [label, f"Andel {short} (%)", f"{short}: 95 % KI låg", f"{short}: 95 % KI hög"]
    return [*header, "Avhysta"]


def row(label: str, counts: Counts, minimum: int) -> list[Cell]:
    """A funnel table's row: counts, shares and intervals."""
    cells: list[Cell] = [label, counts.notices]
    for part in (counts.in_time, counts.attended, counts.kept):
        cells += [part, *share_cells(part, counts.notices, minimum)]
    return [*cells, counts.evicted]


def _table(key: str, title: str, first: str, rows: list[list[Cell]], note: str = NOTE) -> Table:
    return Table(key=key, title=title, columns=columns(first), rows=rows, chart=None, note=note)


def _by(rows: Any, column: Any, labels: Callable[[Any], str], minimum: int) -> list[list[Cell]]:
    found = grouped(rows, column)
    return [row(labels(key[0]), counts, minimum) for key, counts in sorted(found.items(), key=lambda i: str(i[0]))]


def build(period: Period, minimum: int, today: date | None = None) -> list[Table]:
    """The funnel tables for the board, and one comparison per letter-variant test."""
    today = today or local_today()
    rows = per_notice(period, today)
    everyone = grouped(rows).get((), Counts(0, 0, 0, 0, 0))
    kinds = {kind.value: label for kind, label in KIND_LABELS.items()}
    tables = [
        _table("funnel_all", "Kontaktkedjan: alla underrättelser", "Underlag",
               [row("Alla", everyone, minimum)] if everyone.notices else []),
        _table("funnel_by_kind", "Kontaktkedjan per slag", "Slag",
               _by(rows, rows.c.kind, lambda v: kinds.get(str(v), str(v)), minimum)),
        _table("funnel_by_language", "Kontaktkedjan per språk", "Språk",
               _by(rows, rows.c.language, lambda v: LANGUAGE_LABELS.get(v, str(v)), minimum)),
        _table("funnel_by_channel", "Kontaktkedjan per kanal för första kontakten", "Första kontakten",
               _by(rows, rows.c.channel, lambda v: CHANNEL_LABELS.get(str(v), "Ingen kontakt"), minimum),
               note=NOTE + " Per kanal: andelen i tid är av dem som först nåddes den vägen."),
        _table("funnel_by_landlord", "Kontaktkedjan per hyresvärd", "Hyresvärd", _landlords(rows, minimum),
               note=NOTE + f" Hyresvärdar med färre än {landlord_minimum()} underrättelser redovisas tillsammans."),
        _table("funnel_by_month", "Kontaktkedjan per månad (då underrättelsen kom in)", "Månad",
               [row(month_label(y, m), counts, minimum)
                for (y, m), counts in sorted(grouped(rows, rows.c.year, rows.c.month).items())]),
    ]
    return tables + variant_tables(rows, period, minimum)


def _landlords(rows: Any, minimum: int) -> list[list[Cell]]:
    """Landlords with enough notices by name, the rest together (a small landlord's few tenants stay hidden)."""
    found = grouped(rows, rows.c.landlord)
    enough = landlord_minimum()
    named = [(str(key[0]), counts) for key, counts in found.items() if counts.notices >= enough]
    rest = [counts for counts in found.values() if counts.notices < enough]
    result = [row(name, counts, minimum) for name, counts in sorted(named)]
    if rest:
        result.append(row("Övriga hyresvärdar", Counts(*(sum(getattr(c, f) for c in rest) for f in
                                                         ("notices", "in_time", "attended", "kept", "evicted"))),
                          minimum))
    return result


VARIANT_COLUMNS = ["Brev", "Underrättelser", "Kontakt i tid", "Andel i tid (%)", "95 % KI låg", "95 % KI hög"]


def variant_tables(rows: Any, period: Period, minimum: int) -> list[Table]:
    """Each letter-variant test with notices in the period: standard against variant on contact in time."""
    found = grouped(rows, rows.c.variant_id, rows.c.arm)
    tests = {key[0] for key in found if key[0] is not None}
    tables = []
    for variant in db.session.scalars(select(LetterVariant).where(LetterVariant.id.in_(tests))
                                      .order_by(LetterVariant.id)):
        standard = found.get((variant.id, Arm.STANDARD.value), Counts(0, 0, 0, 0, 0))
        trial = found.get((variant.id, Arm.VARIANT.value), Counts(0, 0, 0, 0, 0))
        table_rows: list[list[Cell]] = [
            ["Vanliga brevet", standard.notices, standard.in_time,
             *share_cells(standard.in_time, standard.notices, minimum)],
            [f"Variant: {variant.name}", trial.notices, trial.in_time,
             *share_cells(trial.in_time, trial.notices, minimum)]]
        verdict = verdict_of(trial, standard, minimum)
        if verdict.difference is not None:
            table_rows.append(["Skillnad (variant − vanliga), procentenheter", None, None, *verdict.difference])
        kind = KIND_LABELS.get(NoticeKind(variant.notice_kind), variant.notice_kind)
        state = "pågår" if variant.stopped_at is None else "stoppad"
        tables.append(Table(key=f"variant_{variant.id}", title=f"Brevvariant för {kind.lower()}: {variant.name} "
                                                                 f"({variant.share_percent} %, {state})",
                            columns=VARIANT_COLUMNS, rows=table_rows, chart=None, note=verdict.text))
    return tables


@dataclass(frozen=True)
class Verdict:
    """What the comparison says, in plain words, and the difference with its interval (percentage points)."""

    text: str
    difference: list[Cell] | None


def verdict_of(trial: Counts, standard: Counts, minimum: int) -> Verdict:
    """Plainly: too few yet, not yet clear (the interval of the difference includes 0), or which reaches more."""
    if min(trial.notices, standard.notices) < minimum or 0 < trial.in_time < minimum or \
            0 < standard.in_time < minimum:
        return Verdict("För få underrättelser ännu för att jämföra breven.", None)
    d, low, high = difference(trial.in_time, trial.notices, standard.in_time, standard.notices)
    cells: list[Cell] = [percent(d), percent(low), percent(high)]
    if low <= 0 <= high:
        return Verdict("Skillnaden är ännu inte säker: intervallet för skillnaden omfattar noll, så det går inte "
                       "att säga att det ena brevet når fler i tid än det andra. Låt testet pågå längre.", cells)
    better = "fler" if d > 0 else "färre"
    return Verdict(f"Varianten når {better} hushåll i tid än det vanliga brevet: skillnaden är "
                   f"{percent(d):+.1f} procentenheter (95 % KI {percent(low):.1f} till {percent(high):.1f}).", cells)

