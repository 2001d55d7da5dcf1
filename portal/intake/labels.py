"""Swedish labels for the staff pages (plain text: staff pages are not translated)."""

from __future__ import annotations

from portal.intake.models import Source, State, Urgency

STATE_LABELS = {
    State.NEW: "Ny",
    State.IN_REVIEW: "Granskas",
    State.WAITING_FOR_RESIDENT: "Väntar på den sökande",
    State.READY_FOR_ASSIGNMENT: "Klar för fördelning",
    State.ASSIGNED: "Fördelad",
    State.HANDED_OVER: "Aktualiserad",
    State.CLOSED: "Avslutad",
}
SOURCE_LABELS = {
    Source.E_APPLICATION: "E-ansökan",
    Source.OUTREACH: "Uppsökande",
    Source.PHONE: "Telefon",
    Source.WALK_IN: "Besök",
}
URGENCY_LABELS = {
    Urgency.NORMAL: "Normal",
    Urgency.NO_MONEY_FOR_FOOD: "Inga pengar till mat i dag",
    Urgency.NO_PLACE_TO_SLEEP: "Ingen plats att sova i natt",
    Urgency.EVICTION_RISK: "Risk för avhysning",
}
EVENT_LABELS = {
    "created": "Skapat",
    "interpreter": "Tolkbehov ändrat",
    "claimed": "Tog ärendet",
    "released": "Lämnade tillbaka ärendet",
    "documents_complete": "Underlaget komplett",
    "waiting": "Väntar på den sökande",
    "resumed": "Den sökande har svarat",
    "ready_for_assignment": "Klart för intagsmötet",
    "assigned": "Fördelat",
    "handed_over": "Aktualiserat",
    "handoff_delivered": "Överlämning framme",
    "handoff_failed": "Överlämning misslyckades",
    "delay_notice": "Besked om försening",
    "legal_deadline": "Ny lagstadgad frist",
    "closed": "Avslutat",
    "document_accepted": "Handling godkänd",
    "new_copy_requested": "Ny kopia begärd",
    "message": "Meddelande",
    "extra_document_requested": "Ytterligare handling begärd",
}
CLOSE_REASONS = {
    "withdrawn": "Den sökande har återkallat",
    "duplicate": "Dubblett av ett annat ärende",
    "no_contact": "Ingen kontakt trots försök",
    "referred": "Hänvisad till annan verksamhet",
    "known_client": "Redan aktuell hos socialtjänsten",
    "other": "Annat skäl",
}
