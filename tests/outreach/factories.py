"""Keyword-only helpers for outreach tests: notice files built in code, imports, the sample data."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from outreach.notices.importer import ImportReport, import_file
from outreach.notices.models import Notice
from portal.clock import local_today
from portal.db import db

# Copies of ../shared/data's samples, so a clone alone runs every test; tests/test_samples.py checks they still
# match the shared originals wherever those are beside the checkout.
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
HEADER = ("typ;referens;hyresvard;hyresvard_orgnr;hyresgast_namn;personnummer;adress;postnummer;ort;skuld_kr;"
          "uppsagning_datum;delgiven_datum;inkom_datum;avhysning_datum;barn_i_hushallet;sprak;skyddad_identitet;"
          "rattelse_av")
TEST_NUMBERS = ("201701012393", "202503082386", "202508242381", "202510022383", "202503312387", "202509012387",
                "202512232386", "202504182391")


def sample(name: str) -> bytes:
    """A sample file from ../shared/data (as copied into tests/data/samples)."""
    return (SAMPLES / name).read_bytes()


def row(*, typ: str = "uppsägning", referens: str = "R-1", hyresvard: str = "Testbostäder AB",
        orgnr: str = "556000-0009", namn: str = "Test Testsson", personnummer: str = "201701012393",
        adress: str = "Testgatan 1", postnummer: str = "118 60", ort: str = "Stockholm", skuld: str = "10 000",
        uppsagning: str | None = None, delgiven: str = "", inkom: str | None = None, avhysning: str = "",
        barn: str = "", sprak: str = "", skyddad: str = "", rattelse_av: str = "") -> str:
    """One CSV row in the landlord layout; dates default to a few days ago."""
    today = local_today()
    uppsagning = (today - timedelta(days=3)).isoformat() if uppsagning is None else uppsagning
    inkom = (today - timedelta(days=1)).isoformat() if inkom is None else inkom
    return ";".join((typ, referens, hyresvard, orgnr, namn, personnummer, adress, postnummer, ort, skuld, uppsagning,
                     delgiven, inkom, avhysning, barn, sprak, skyddad, rattelse_av))


def notice_file(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    """A notice file with the given rows."""
    return "\r\n".join((header, *rows)).encode(encoding)


def import_rows(*rows: str, today: date | None = None) -> ImportReport:
    """Import rows built with `row`."""
    return import_file(notice_file(*rows), today=today or local_today())


def notice_by_reference(reference: str) -> Notice:
    """The notice with this reference."""
    notice = db.session.scalar(db.select(Notice).where(Notice.reference == reference))
    assert notice is not None, reference
    return notice


def numbered_rows(count: int, *, start: int = 0) -> list[str]:
    """`count` distinct unknown-person notices for different flats (Skatteverket test numbers, reused)."""
    return [row(referens=f"BULK-{index}", personnummer=TEST_NUMBERS[index % len(TEST_NUMBERS)],
                adress=f"Testgatan {index}", namn=f"Person {index % len(TEST_NUMBERS)}")
            for index in range(start, start + count)]
