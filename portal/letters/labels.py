"""How staff pages name letters and where each one stands (staff pages are Swedish only, DESIGN.md §5)."""

from __future__ import annotations

from portal.letters.models import Letter, LetterStatus
from portal.letters.print_batch import LOCAL

KIND_LABELS = {"outreach_first": "Uppsökande brev", "outreach_second": "Uppsökande brev, andra försöket",
               "appointment_changed": "Ändrad tid", "delay_notice": "Besked om försening",
               "application_receipt": "Kvitto på ansökan"}
STATUS_LABELS = {LetterStatus.AWAITING_APPROVAL: "väntar på granskning", LetterStatus.QUEUED: "klart för utskrift",
                 LetterStatus.EXPORTED: "utskrivet", LetterStatus.CANCELLED: "stoppat",
                 LetterStatus.FILE_DAMAGED: "filen är skadad, inte med i utskrift"}


def letter_state(letter: Letter) -> str:
    """Where the letter stands, with the print day once it went to print ("utskrivet 2026-12-01")."""
    label = STATUS_LABELS[letter.status]
    if letter.status == LetterStatus.EXPORTED and letter.exported_at is not None:
        return f"{label} {letter.exported_at.astimezone(LOCAL).date().isoformat()}"
    return label
