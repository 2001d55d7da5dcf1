"""Swedish words for the subject-access PDF: the person reads the export, not a database, so column names
become plain Swedish where we have a word for them (and stay as they are where we do not: nothing is hidden)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask

from portal.clock import LOCAL_TZ

FIELD_LABELS = {
    "id": "Nummer", "personnummer": "Personnummer", "name": "Namn", "language": "Språk", "email": "E-post",
    "phone": "Telefon", "protection": "Skyddade personuppgifter", "created_at": "Skapad", "updated_at": "Ändrad",
    "status": "Status", "kind": "Slag", "reference": "Referens", "answers": "Svar", "started_at": "Påbörjad",
    "submitted_at": "Skickad", "person_id": "Person", "co_applicant_person_id": "Medsökande (person)",
    "co_applicant_confirmed_at": "Medsökande bekräftade", "previous_application_id": "Föregående ansökan",
    "intake_item_id": "Ärende i mottagningen", "outside_area": "Utanför området", "reminded_at": "Påmind",
    "key": "Handling", "state": "Läge", "reason": "Skäl", "description": "Beskrivning", "extra": "Begärd av oss",
    "person_role": "Vems handling", "later_since": "Skickas senare sedan", "body": "Text", "author": "Skrivet av",
    "read_at": "Läst", "original_name": "Filnamn", "media_type": "Filtyp", "size": "Storlek (byte)",
    "sha256": "Kontrollsumma (SHA-256)", "uploaded_at": "Uppladdad", "reviewed_at": "Granskad",
    "file": "Fil i arkivet", "source": "Kom in via", "summary": "Sammanfattning", "urgency": "Brådska",
    "contact_name": "Kontaktnamn", "contact_phone": "Kontakttelefon", "contact_email": "Kontaktens e-post",
    "legal_deadline": "Lagstadgad frist", "received_at": "Inkom", "due_on": "Senast klart",
    "close_reason": "Skäl för avslut", "assigned_at": "Fördelat", "claimed_at": "Påbörjat av mottagningen",
    "at": "Tid", "actor_label": "Vem", "actor_kind": "Slags användare", "action": "Vad", "detail": "Detaljer",
    "object_type": "Uppgift", "object_id": "Uppgiftens nummer", "starts_at": "Tid", "purpose": "Syfte",
    "expected_on": "Beslut väntas", "subject": "Ämne", "channel": "Kanal", "sender": "Avsändare",
    "landlord_name": "Hyresvärd", "tenant_name": "Hyresgästens namn", "address": "Adress",
    "postal_code": "Postnummer", "city": "Ort", "amount_text": "Skuld (som den angavs)",
    "termination_date": "Uppsägningsdag", "served_date": "Delgiven", "received_date": "Inkom",
    "eviction_at": "Avhysning", "children": "Barn i hushållet", "protected": "Skyddad identitet",
    "recovery_deadline": "Återvinningsfrist", "eviction_date": "Avhysningsdag", "deadline": "Frist",
    "outcome": "Vad vi gjorde", "decision": "Beslut", "decision_reason": "Skäl för beslutet",
    "decided_at": "Beslutat", "tenancy_outcome": "Hur det gick med bostaden", "result": "Resultat",
    "note": "Anteckning", "unit": "Enhet", "caseworker": "Handläggare", "imported_at": "Inläst",
    "pages": "Sidor", "exported_at": "Skickat till tryck", "delivered_at": "Levererat", "held_on": "Mötesdag",
    "decided_by_id": "Beslutat av (medarbetare)", "caseworker_id": "Handläggare (medarbetare)",
    "application_id": "Ansökan", "notice_id": "Underrättelse", "item_id": "Ärende i mottagningen",
    "landlord_orgnr": "Hyresvärdens organisationsnummer", "landlord_contact": "Hyresvärdens kontakt",
    "flat_number": "Lägenhetsnummer", "flat_size": "Lägenhetens storlek", "eviction_text": "Avhysning (som angavs)",
    "amount_ore": "Skuld i öre", "corrects_reference": "Rättar referens", "superseded": "Ersatt av rättelse",
    "out_of_area": "Utanför området", "priority": "Prioritet", "escalated_at": "Eskalerad",
    "escalation_reason": "Skäl för eskalering", "staff_id": "Medarbetare", "interpreter_needed": "Tolk behövs",
    "handoff_id": "Överlämningens id", "attempts": "Leveransförsök", "meeting_id": "Intagsmöte",
    "target": "Mottagare", "last_error": "Senaste fel",
    "template_version": "Mallversion", "file_sha256": "Filens kontrollsumma", "file_size": "Filens storlek (byte)",
    "file_name": "Filnamn", "checklist_item": "Handling", "application": "Ansökan", "done_at": "Klart",
    "protection_source": "Skyddet angavs av", "protected_at": "Skyddad sedan", "name_check": "Namnkontroll",
    "address_printed": "Brevet har adressen", "withheld": "Hålls inne (skyddad adress)",
    "sent_by_id": "Skickat av (medarbetare)", "requested_by_id": "Begärt av (medarbetare)",
    "interpreter_language": "Tolkens språk", "interpreter_source": "Tolkbehovet angavs av",
    "interpreter_at": "Tolkbehovet angavs",
    "letter_id": "Brev", "tenancy_key": "Lägenheten", "returned_at": "Kom tillbaka",
    "address_confirmed_at": "Adressen bekräftad", "address_confirmed_by_id": "Adressen bekräftad av (medarbetare)",
    "variant_id": "Test av brevtext", "arm": "Brevet",
}

SECTION_PARTS = {"checklist": "Handlingar som behövs", "messages": "Meddelanden", "events": "Historik",
                 "meeting_decisions": "Beslut på intagsmöten", "handoffs": "Överlämningar till verksamhetssystemet",
                 "delay_notices": "Besked om försenat beslut", "actions": "Steg vi har tagit",
                 "attempts": "Försök att nå dig", "returned_letters": "Brev som kom tillbaka",
                 "letter_variant": "Vilket brev du fick i ett test av brevtexter"}


def field_label(name: str) -> str:
    """The Swedish label of a field, or the field's own name."""
    return FIELD_LABELS.get(name) or name


def part_label(name: str) -> str:
    """The Swedish heading of the records nested in another (a notice's attempts), or the key itself."""
    return SECTION_PARTS.get(name) or name


def format_value(value: Any) -> str:
    """A stored value as a reader sees it: times in Swedish time, yes/no, empty as a dash."""
    if value is None or value == "":
        return "–"
    if value is True:
        return "ja"
    if value is False:
        return "nej"
    if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        local = moment.astimezone(LOCAL_TZ) if moment.tzinfo else moment
        return local.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(format_value(v) for v in value) or "–"
    return str(value)


PROTECTION_LABELS = {"none": "inga", "sekretessmarkering": "sekretessmarkering",
                     "skyddad_folkbokforing": "skyddad folkbokföring",
                     "fingerade_personuppgifter": "fingerade personuppgifter",
                     "skyddad_niva_okand": "skyddade personuppgifter (nivån är inte känd)"}


def register_core_labels(app: Flask) -> None:
    """Portal's own codes in words, from the label tables its pages already use."""
    from portal.applications import labels as application_labels
    from portal.booking.labels import PURPOSE_LABELS
    from portal.booking.labels import STATUS_LABELS as BOOKING_STATUS
    from portal.intake import labels as intake_labels
    from portal.intake.delay import REASON_LABELS as DELAY_REASONS
    from portal.letters import labels as letter_labels
    from portal.subject_access import register_value_labels

    for table, column, labels in (
            ("person", "protection", PROTECTION_LABELS),
            ("application", "status", application_labels.STATUS_LABELS),
            ("application", "kind", {"first": "Nyansökan", "repeat": "Återansökan"}),
            ("checklist_item", "state", application_labels.ITEM_STATE_LABELS),
            ("checklist_item", "person_role", application_labels.ROLE_LABELS),
            ("application_message", "author", {"resident": "Du", "staff": "Mottagningen"}),
            ("document", "status", {"received": "Mottagen", "accepted": "Godkänd", "rejected": "Ny kopia behövs"}),
            ("intake_item", "state", intake_labels.STATE_LABELS),
            ("intake_item", "source", intake_labels.SOURCE_LABELS),
            ("intake_item", "urgency", intake_labels.URGENCY_LABELS),
            ("intake_item", "close_reason", intake_labels.CLOSE_REASONS),
            ("intake_event", "kind", intake_labels.EVENT_LABELS),
            ("intake_delay_notice", "reason", DELAY_REASONS),
            ("booking", "status", BOOKING_STATUS),
            ("booking", "purpose", PURPOSE_LABELS),
            ("letter", "kind", letter_labels.KIND_LABELS),
            ("letter", "status", letter_labels.STATUS_LABELS)):
        register_value_labels(app, table, column, labels)
