"""Reception capacity seen before it runs out (issue 26 point 2).

For each of the coming weeks: the places a letter can still book (from the first day a letter printed now can
reach the person), how many of them are booked and free, and the notices expected to need one (open, with their
deadline that week and no booked time yet; the areas that make such work register a source here, so the booking
module never imports them). The warning: by some week, the free places up to its end are fewer than
PORTAL_CAPACITY_WARNING_SHARE times the notices with deadlines by then. It shows on the settings page and the
staff home, and goes by e-mail to the administrators once a day. Administrators add extra times for a day in one
step: extra places in the day's usual hours, or an extra session.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal import audit
from portal.booking.models import Booking, BookingStatus, CapacityWarningSent, ExtraSession
from portal.booking.opening_hours import (
    LOCAL,
    BookingError,
    day_bounds,
    extra_sessions,
    get_settings,
    is_open_day,
    list_closed_days,
    parse_hours,
    slot_places,
)
from portal.clock import local_today
from portal.db import db
from portal.letters.print_batch import delivered_by, next_print_day
from portal.mail import MailError, mail_configured, send_mail
from portal.workdays import add_working_days

log = logging.getLogger("portal.booking.capacity")
WEEKS = 6

# (first day, last day) -> {deadline: notices needing a place}; outreach registers its notices.
NeedSource = Callable[[date, date], dict[date, int]]
NEED_SOURCES: dict[str, NeedSource] = {}


def add_need_source(name: str, source: NeedSource) -> None:
    """Count, per deadline day, the open cases that still need a reception time (registering again replaces)."""
    NEED_SOURCES[name] = source


@dataclass
class Week:
    """One week of the outlook; `*_to_date` count from the first bookable day to the week's end; `short`: some
    deadline in the week has fewer free places before it than the share of the notices needing one by then."""

    monday: date
    places: int
    booked: int
    needing: int
    free_to_date: int = 0
    needing_to_date: int = 0
    short: bool = False

    @property
    def free(self) -> int:
        """Places not booked."""
        return self.places - self.booked

    @property
    def sunday(self) -> date:
        """The week's last day."""
        return self.monday + timedelta(days=6)

    @property
    def number(self) -> int:
        """The ISO week number (vecka)."""
        return self.monday.isocalendar()[1]


@dataclass
class Outlook:
    """The coming weeks, the first day a letter can book, and whether capacity runs short."""

    today: date
    first_day: date
    share: float
    weeks: list[Week] = field(default_factory=list)
    # The first deadline before which the free places fall short: (deadline, free before it, needing by then).
    short_deadline: tuple[date, int, int] | None = None

    @property
    def short_weeks(self) -> list[Week]:
        """The weeks with a deadline before which the free places fall below the share of the notices needing them."""
        return [week for week in self.weeks if week.short]

    @property
    def warning(self) -> bool:
        """True when some week runs short."""
        return self.short_deadline is not None

    def summary(self) -> str:
        """One sentence for the staff home and the e-mail (Swedish, staff only)."""
        if self.short_deadline is None:
            return "De lediga tiderna räcker till de öppna underrättelserna de närmaste veckorna."
        deadline, free, needing = self.short_deadline
        return (f"Före fristen {deadline.isoformat()} finns {free} lediga tider som brev hinner boka, men {needing} "
                f"öppna underrättelser med frist senast då saknar bokad tid (varning under {self.share:.2f} lediga "
                "tider per underrättelse).")


def first_bookable_day(today: date) -> date:
    """The first day a letter made today can book: its print day + the post's working days + the margin."""
    config = current_app.config
    arrives = delivered_by(next_print_day(today), int(config.get("POSTAL_WORKING_DAYS", 2)))
    return add_working_days(arrives, int(config.get("POSTAL_MARGIN_WORKING_DAYS", 1)))


def outlook(*, today: date | None = None, weeks: int = WEEKS) -> Outlook:
    """The coming `weeks` weeks from this week's Monday (a few queries over the window, whatever is open)."""
    today = today or local_today()
    first = first_bookable_day(today)
    result = Outlook(today=today, first_day=first,
                     share=float(current_app.config.get("CAPACITY_WARNING_SHARE", 1.25)))
    monday = today - timedelta(days=today.weekday())
    end = monday + timedelta(days=7 * weeks)
    settings = get_settings()
    closed = list_closed_days(first, end)
    extras = extra_sessions(first, end)
    taken: Counter[datetime] = Counter()
    for (starts_at,) in db.session.execute(select(Booking.starts_at).where(
            Booking.status == BookingStatus.BOOKED, Booking.place > 0,
            Booking.starts_at >= day_bounds(first)[0], Booking.starts_at < day_bounds(end)[0])):
        taken[starts_at] += 1
    needing: Counter[date] = Counter()
    for source in NEED_SOURCES.values():
        # A deadline before the first bookable day cannot be met by a letter's time: those are urgent tasks.
        needing.update(source(first + timedelta(days=1), end - timedelta(days=1)))
    free_before = needing_so_far = 0
    for index in range(weeks):
        start = monday + timedelta(days=7 * index)
        week = Week(monday=start, places=0, booked=0, needing=0)
        for offset in range(7):
            day = start + timedelta(days=offset)
            if needing.get(day):
                # Those with this deadline need a time before it: only the free places of earlier days count.
                week.needing += needing[day]
                needing_so_far += needing[day]
                if free_before < result.share * needing_so_far and not result.short_deadline:
                    result.short_deadline = (day, free_before, needing_so_far)
                week.short = week.short or free_before < result.share * needing_so_far
            if day < first or not is_open_day(day, closed):
                continue
            for starts_at, places in slot_places(day, settings, extras.get(day, ())).items():
                booked = min(places, taken.get(starts_at, 0))
                week.places += places
                week.booked += booked
                free_before += places - booked
        week.free_to_date, week.needing_to_date = free_before, needing_so_far
        result.weeks.append(week)
    return result


# --- extra times ---------------------------------------------------------------------------------------------

def add_extra_times(day: date, *, places: int, hours: str = "", reason: str = "", actor: str) -> list[ExtraSession]:
    """Add extra times for one day in one step (commit, audit): `places` more places per slot in the day's usual
    hours (hours empty) or in the sessions typed as `16:00-18:00` (BookingError with the reason, nothing added)."""
    if day < local_today():
        raise BookingError("dagen har redan varit")
    if not is_open_day(day, list_closed_days(day, day)):
        raise BookingError("mottagningen är stängd den dagen (helg, helgdag eller stängd för hand)")
    if not 1 <= places <= 50:
        raise BookingError("antalet platser ska vara mellan 1 och 50")
    periods = parse_hours(hours) if hours.strip() else [
        [opens.strftime("%H:%M"), closes.strftime("%H:%M")] for opens, closes in get_settings().periods(day.weekday())]
    if not periods:
        raise BookingError("dagen har inga vanliga öppettider: skriv tiderna för det extra passet")
    step = timedelta(minutes=get_settings().slot_minutes)
    for start, end in periods:
        if datetime.combine(day, time.fromisoformat(start)) + step > datetime.combine(day, time.fromisoformat(end)):
            raise BookingError(f"passet {start}-{end} är kortare än en tid ({get_settings().slot_minutes} minuter)")
    added = [ExtraSession(day=day, starts=start, ends=end, places=places, reason=reason[:200],
                          created_by=actor[:100]) for start, end in periods]
    db.session.add_all(added)
    db.session.flush()
    audit.record("booking.extra_times", object_type="booking_extra_session", object_id=day.isoformat(),
                 detail=f"{places} platser {', '.join(f'{s}-{e}' for s, e in periods)} {actor}")
    db.session.commit()
    return added


def remove_extra_time(extra_id: int, *, actor: str) -> None:
    """Remove an extra time nobody is booked on (commit, audit); BookingError when someone is."""
    extra = db.session.get(ExtraSession, extra_id)
    if extra is None:
        raise BookingError("det extra passet finns inte")
    others = [other for other in extra_sessions(extra.day, extra.day).get(extra.day, []) if other.id != extra.id]
    without = slot_places(extra.day, get_settings(), others)
    opens, closes = (datetime.combine(extra.day, moment, tzinfo=LOCAL) for moment in extra.period)
    booked = db.session.execute(select(Booking.starts_at, Booking.place).where(
        Booking.status == BookingStatus.BOOKED, Booking.starts_at >= opens, Booking.starts_at < closes)).all()
    if any(place > without.get(starts_at, 0) for starts_at, place in booked):
        raise BookingError("någon har en bokad tid på passets platser: flytta eller avboka den först")
    db.session.delete(extra)
    audit.record("booking.extra_times_removed", object_type="booking_extra_session", object_id=extra_id,
                 detail=f"{extra.day.isoformat()} {extra.starts}-{extra.ends} {actor}")
    db.session.commit()


def upcoming_extra_times(today: date | None = None) -> list[ExtraSession]:
    """Extra times from today on, in order."""
    return list(db.session.scalars(select(ExtraSession).where(ExtraSession.day >= (today or local_today()))
                                   .order_by(ExtraSession.day, ExtraSession.starts, ExtraSession.id)))


def add_extra_session_for_warning(view: Outlook, *, actor: str, places: int | None = None) -> int:
    """An administrator's usual answer to the warning (the simulated year uses it): extra places in the usual hours
    of the first open day, from the first bookable day and before the first short deadline, that has no extra
    times yet. Returns how many extra times were added (0 when every such day has some already)."""
    if view.short_deadline is None:
        return 0
    last = view.short_deadline[0] - timedelta(days=1)
    settings = get_settings()
    day = view.first_day
    closed = list_closed_days(day, last)
    have = extra_sessions(day, last)
    while day <= last:
        if is_open_day(day, closed) and day not in have and settings.periods(day.weekday()):
            return len(add_extra_times(day, places=places or settings.places_per_slot, reason="kapacitetsvarning",
                                       actor=actor))
        day += timedelta(days=1)
    return 0


# --- the daily e-mail ---------------------------------------------------------------------------------------

def warn_administrators(*, today: date | None = None) -> int:
    """E-mail the capacity warning to every active administrator, at most once a day (the day's row decides,
    also between several schedulers); a failed send is tried again on the next pass. Returns the messages sent."""
    from portal.staff.models import Role, StaffUser

    today = today or local_today()
    if not mail_configured() or db.session.get(CapacityWarningSent, today) is not None:
        return 0
    view = outlook(today=today)
    if not view.warning:
        return 0
    admins = list(db.session.scalars(select(StaffUser.email).where(StaffUser.role == Role.ADMIN,
                                                                  StaffUser.active.is_(True))))
    row = CapacityWarningSent(day=today, recipients=len(admins))
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        db.session.rollback()
        return 0  # another scheduler sent today's
    base = current_app.config.get("BASE_URL", "").rstrip("/")
    body = "\n".join((
        "Hej,", "",
        "mottagningens lediga tider räcker inte till de underrättelser som har frist de närmaste veckorna.",
        view.summary(), "",
        *(f"Vecka {w.number}: {w.places} platser, {w.booked} bokade, {w.free} lediga; {w.needing} underrättelser "
          f"med frist utan bokad tid" for w in view.weeks), "",
        f"Lägg till extra tider på {base}/staff/mottagning/installningar", "",
        "Det här brevet skickas högst en gång per dag."))
    try:
        for email in admins:
            send_mail(to=email, subject=f"Mottagningen: för få lediga tider före fristerna ({today.isoformat()})",
                      body=body)
    except MailError:
        db.session.rollback()
        log.warning("capacity warning could not be e-mailed; trying again on the next pass")
        return 0
    db.session.commit()
    return len(admins)


def capacity_job() -> int:
    """The scheduler's look at capacity (every 30 minutes; the e-mail goes at most once a day)."""
    return warn_administrators()



