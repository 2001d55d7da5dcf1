"""Demo intake items for `make run`: a few phone and walk-in intakes (Skatteverket test numbers only)."""

from __future__ import annotations

from datetime import timedelta

from portal import demo, interpreter
from portal.db import db, utcnow
from portal.intake.models import Source, State, Urgency
from portal.intake.service import add_intake_item, refresh_deadlines, set_state
from portal.people import get_or_add_person


def load_demo() -> None:
    """Add phone and walk-in items in different states and urgencies."""
    now = utcnow()
    rows = (
        (Source.PHONE, demo.TEST_PERSONNUMMER[4], "Ali Demo", Urgency.NO_MONEY_FOR_FOOD, "ar", True,
         "Ringer och har inga pengar till mat i dag. Två barn i hushållet.", 0, State.NEW),
        (Source.WALK_IN, demo.TEST_PERSONNUMMER[5], "Berit Demo", Urgency.NORMAL, "sv", False,
         "Kom till receptionen och vill söka ekonomiskt bistånd för december.", 6, State.NEW),
        (Source.PHONE, demo.TEST_PERSONNUMMER[6], "Chen Demo", Urgency.NO_PLACE_TO_SLEEP, "en", False,
         "Har blivit utan bostad och har ingenstans att sova i natt.", 0, State.NEW),
        (Source.PHONE, demo.TEST_PERSONNUMMER[7], "Dawit Demo", Urgency.NORMAL, "ti", True,
         "Har lämnat alla handlingar vid besök. Klar för fördelning.", 3, State.READY_FOR_ASSIGNMENT),
    )
    for index, (source, number, name, urgency, language, interpreter_needed, summary, days_ago, state) in enumerate(
            rows):
        person = get_or_add_person(number)
        person.name, person.language = person.name or name, person.language or language
        person.phone = person.phone or f"070-000 00 {index:02d}"
        # As the reception heard it on the phone or at the desk: held once, on the person (portal.interpreter).
        interpreter.record_from_source(person, needed=interpreter_needed, language=language, source="demo")
        item = add_intake_item(source=source, source_key=f"demo:{source.value}:{index}", person_id=person.id,
                               summary=summary, urgency=urgency, language=language, actor_label="demo",
                               received_at=now - timedelta(days=days_ago))
        if state == State.READY_FOR_ASSIGNMENT:
            item.documents_complete_on = (now - timedelta(days=days_ago - 1)).date()  # a clock already running
        set_state(item, state)
        refresh_deadlines(item)
    # One walk-in who did not want to give a personnummer yet.
    item = add_intake_item(source=Source.WALK_IN, source_key="demo:walk_in:anonymous", person_id=None,
                           summary="Vill ha information om hur man ansöker. Återkommer med personnummer.",
                           actor_label="demo")
    item.contact_name, item.contact_phone = "Okänd besökare", "070-000 00 99"
    db.session.commit()

