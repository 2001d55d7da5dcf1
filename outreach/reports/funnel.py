"""Statistics for the board: contact before the deadline, attendance and tenancy outcomes, by notice kind,
language, channel of first contact, landlord and month, each share with its 95 % Wilson interval; and the
letter-variant tests compared on contact before the deadline.

Two reads from the database (the counted notices, and the contact events of outreach.funnel.contact since the
period began), put together and grouped in one pass in Python. A notice counts once its deadline has passed, when
whether it was reached in time is settled. Notices the caseworker (known clients) or another municipality
(out of area) handles are left out, as in outreach.statistics.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from outreach.funnel.contact import CHANNEL_LABELS, RECEPTION, case_key, contact_events
from outreach.funnel.models import Arm, LetterVariant, VariantAssignment
from outreach.notices.models import Notice, NoticeKind, TenancyOutcome
from outreach.reports.statistics import KIND_LABELS, NOT_OURS
from portal.clock import LOCAL_TZ, local_date, local_today
from portal.db import db
from portal.people import Person
from portal.statistics.dates import month_label
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


@dataclass(frozen=True)
class NoticeRow:
    """One counted notice as the tables group it."""

    kind: str
    language: str | None
    landlord: str
    month: str
    channel: str
    variant_id: int | None
    arm: str | None
    in_time: int
    attended: int
    kept: int
    evicted: int


def notice_rows(period: Period, today: date) -> list[NoticeRow]:
    """Every counted notice with its first contact (day and channel), attendance and outcome.

    Two reads (the notices, and the contact events since the period began) put together here: joining every
    notice to the union of contact events in SQL made SQLite scan the union once per notice (83 s for 5,000
    notices); in Python it is one pass over each.
    """
    notices = db.session.execute(
        select(case_key(), Notice.received_date, Notice.deadline, Notice.kind,
               func.coalesce(Notice.language, Person.language), Notice.landlord_name, Notice.tenancy_outcome,
               VariantAssignment.variant_id, VariantAssignment.arm)
        .select_from(Notice).outerjoin(Person, Person.id == Notice.person_id)
        .outerjoin(VariantAssignment, VariantAssignment.notice_id == Notice.id)
        .where(*counted(period, today))).all()
    events: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    since = datetime.combine(period.start, time.min, tzinfo=LOCAL_TZ).astimezone(UTC)
    found = contact_events().subquery("contact_event")
    for key, at, channel in db.session.execute(select(found).where(found.c.at >= since)):
        events[int(key)].append((at, str(channel)))
    for case_events in events.values():
        case_events.sort()
    rows = []
    for key, received, deadline, kind, language, landlord, outcome, variant_id, arm in notices:
        mine = [(local_date(at), channel) for at, channel in events.get(int(key), ()) if local_date(at) >= received]
        first = mine[0] if mine else None
        rows.append(NoticeRow(
            kind=str(kind), language=language, landlord=landlord, month=month_label(received.year, received.month),
            channel=first[1] if first else "none", variant_id=variant_id, arm=None if arm is None else str(arm),
            in_time=int(first is not None and first[0] <= deadline),
            attended=int(any(channel == RECEPTION for _, channel in mine)),
            kept=int(outcome in KEPT), evicted=int(outcome == TenancyOutcome.EVICTED)))
    return rows


def counted(period: Period, today: date) -> list[Any]:
    """Which notices the tables count: received in the period, current, ours, their deadline passed."""
    return [Notice.received_date >= period.start, Notice.received_date <= period.end, Notice.superseded.is_(False),
            Notice.outcome.not_in(NOT_OURS), Notice.deadline.is_not(None), Notice.deadline < today]


def grouped(rows: list[NoticeRow], key: Callable[[NoticeRow], Any] = lambda _row: ()) -> dict[Any, Counts]:
    """Counts per value of `key`."""
    sums: dict[Any, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for one in rows:
        total = sums[key(one)]
        total[0] += 1
        total[1] += one.in_time
        total[2] += one.attended
        total[3] += one.kept
        total[4] += one.evicted
    return {value: Counts(*total) for value, total in sums.items()}


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


# A funnel row: label, notices, then (count, share, low, high) for each measure, then evicted.
COUNTS = (1, 2, 6, 10, 14)
SHARES = {2: (3, 4, 5), 6: (7, 8, 9), 10: (11, 12, 13)}
HIDDEN_NOTE = (" Ett antal som visas som – är dolt för att ett litet antal i samma kolumn annars kunde räknas fram "
               "ur summan i tabellen Alla.")


def _count(cell: Cell) -> int:
    """A count cell's value (0 for anything already hidden or not a count)."""
    return cell if isinstance(cell, int) and not isinstance(cell, bool) else 0


def hide_complements(rows: list[list[Cell]], minimum: int) -> bool:
    """Secondary suppression in a table whose rows split every counted notice (by kind, language, channel,
    landlord, month): where a column has exactly one small count, the total on the "Alla" row minus the other
    rows would give it away, so the smallest other count of that column is hidden too (None, shown as –), with
    the shares and intervals a reader could work it back from. Returns whether anything was hidden."""
    hidden = False
    for column in COUNTS:
        small = [row for row in rows if 0 < _count(row[column]) < minimum]
        others = [row for row in rows if _count(row[column]) > 0 and not any(row is one for one in small)]
        if len(small) != 1 or not others:
            continue
        target = min(others, key=lambda row: _count(row[column]))
        target[column] = None
        # Every share of a row has its notices as the whole: with a share and its part shown, the whole returns.
        blanks = [c for shares in SHARES.values() for c in shares] if column == 1 else SHARES.get(column, ())
        for cell in blanks:
            target[cell] = None
        hidden = True
    return hidden


def _by(rows: list[NoticeRow], key: Callable[[NoticeRow], Any], labels: Callable[[Any], str],
        minimum: int) -> list[list[Cell]]:
    found = grouped(rows, key)
    return [row(labels(value), counts, minimum) for value, counts in sorted(found.items(), key=lambda i: str(i[0]))]


def _split(key: str, title: str, first: str, rows: list[list[Cell]], minimum: int, note: str = NOTE) -> Table:
    """A table whose rows split the counted notices, with the counts that would give a small one away hidden."""
    return _table(key, title, first, rows, note=note + HIDDEN_NOTE if hide_complements(rows, minimum) else note)


def build(period: Period, minimum: int, today: date | None = None) -> list[Table]:
    """The funnel tables for the board, and one comparison per letter-variant test."""
    today = today or local_today()
    rows = notice_rows(period, today)
    everyone = grouped(rows).get((), Counts(0, 0, 0, 0, 0))
    kinds = {kind.value: label for kind, label in KIND_LABELS.items()}
    tables = [
        _table("funnel_all", "Kontaktkedjan: alla underrättelser", "Underlag",
               [row("Alla", everyone, minimum)] if everyone.notices else []),
        _split("funnel_by_kind", "Kontaktkedjan per slag", "Slag",
               _by(rows, lambda r: r.kind, lambda v: kinds.get(str(v), str(v)), minimum), minimum),
        _split("funnel_by_language", "Kontaktkedjan per språk", "Språk",
               _by(rows, lambda r: r.language, lambda v: LANGUAGE_LABELS.get(v, str(v)), minimum), minimum),
        _split("funnel_by_channel", "Kontaktkedjan per kanal för första kontakten", "Första kontakten",
               _by(rows, lambda r: r.channel, lambda v: CHANNEL_LABELS.get(str(v), "Ingen kontakt"), minimum),
               minimum, note=NOTE + " Per kanal: andelen i tid är av dem som först nåddes den vägen."),
        _split("funnel_by_landlord", "Kontaktkedjan per hyresvärd", "Hyresvärd", _landlords(rows, minimum),
               minimum,
               note=NOTE + f" Hyresvärdar med färre än {landlord_minimum()} underrättelser redovisas tillsammans."),
        _split("funnel_by_month", "Kontaktkedjan per månad (då underrättelsen kom in)", "Månad",
               [row(month, counts, minimum) for month, counts in sorted(grouped(rows, lambda r: r.month).items())],
               minimum),
    ]
    return tables + variant_tables(rows, period, minimum)


def _landlords(rows: list[NoticeRow], minimum: int) -> list[list[Cell]]:
    """Landlords with enough notices by name, the rest together (a small landlord's few tenants stay hidden)."""
    found = grouped(rows, lambda r: r.landlord)
    enough = landlord_minimum()
    named = [(str(key), counts) for key, counts in found.items() if counts.notices >= enough]
    rest = [counts for counts in found.values() if counts.notices < enough]
    result = [row(name, counts, minimum) for name, counts in sorted(named)]
    if rest:
        result.append(row("Övriga hyresvärdar", Counts(*(sum(getattr(c, f) for c in rest) for f in
                                                         ("notices", "in_time", "attended", "kept", "evicted"))),
                          minimum))
    return result


VARIANT_COLUMNS = ["Brev", "Underrättelser", "Kontakt i tid", "Andel i tid (%)", "95 % KI låg", "95 % KI hög"]


def variant_tables(rows: list[NoticeRow], period: Period, minimum: int) -> list[Table]:
    """Each letter-variant test with notices in the period: standard against variant on contact in time."""
    found = grouped(rows, lambda r: (r.variant_id, r.arm))
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

