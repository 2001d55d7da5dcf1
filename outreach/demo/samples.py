"""Demo notices for `make run`, like the samples in ../shared/data (which a user's clone does not have).

Generated in code with Skatteverket's test personnummer, dated relative to today so the deadlines are ahead.
The scheduler (`portal worker`, started by `make run`) then moves them through the pipeline.
"""

from __future__ import annotations

from datetime import timedelta

from outreach.notices.importer import import_file
from outreach.notices.known_clients import import_register
from portal.clock import local_today

HEADER = ("typ;referens;hyresvard;hyresvard_orgnr;hyresgast_namn;personnummer;adress;postnummer;ort;skuld_kr;"
          "uppsagning_datum;delgiven_datum;inkom_datum;avhysning_datum;barn_i_hushallet;sprak;skyddad_identitet;"
          "rattelse_av")


def demo_files() -> tuple[bytes, bytes, bytes]:
    """The landlord file, the Kronofogden file and the known-client register, as a landlord would send them."""
    today = local_today()

    def day(offset: int) -> str:
        return (today + timedelta(days=offset)).isoformat()

    landlord = [
        HEADER,
        f"uppsägning;DEMO-0412;Stadsbostäder AB;556000-0001;Amina Hassan;20170101-2393;Ringvägen 12;118 60;"
        f"Stockholm;14 850;{day(-4)};{day(-2)};{day(-1)};;ja;so;;",
        f"uppsägning;DEMO-0413;Stadsbostäder AB;556000-0001;Erik Lindqvist;200306062381;Götgatan 101;116 62;"
        f"Stockholm;7 200,50;{day(-4)};;{day(-1)};;nej;;;",
        f"störning;DEMO-0420;Stadsbostäder AB;556000-0001;Daniel Berg;200802122390;Folkungagatan 58;116 22;"
        f"Stockholm;;{day(-8)};{day(-7)};{day(-1)};;okänt;;;",
        f"uppsägning;DEMO-0425;Fastighets AB Söder;556000-0002;Mariam Tesfaye;202503082386;Hornsgatan 33;118 49;"
        f"Stockholm;22 400;{day(-3)};{day(-2)};{day(0)};;ja;ti;;",
        f"uppsägning;DEMO-0430;Fastighets AB Söder;556000-0002;Karim Haddad;202510022383;Hornsgatan 35;118 49;"
        f"Stockholm;9 900;{day(-3)};{day(-2)};{day(0)};;nej;ar;ja;",
        f"uppsägning;DEMO-0412-B;Stadsbostäder AB;556000-0001;Amina Hassan;201701012393;Ringvägen 12;118 60;"
        f"Stockholm;16 350;{day(-4)};{day(-2)};{day(0)};;ja;so;;DEMO-0412",
    ]
    enforcement = [
        "typ,referens,hyresvard,hyresgast_namn,personnummer,adress,postnummer,ort,avhysning_datum,barn_i_hushallet,"
        "sprak",
        f"avhysning,KFM-DEMO-1,Stadsbostäder AB,Daniel Berg,20080212-2390,Folkungagatan 58,11622,Stockholm,"
        f"{day(16)} 09:00,,",
        f"avhysning,KFM-DEMO-2,Fastighets AB Söder,Olena Kovalenko,200607092384,Krukmakargatan 7,11851,Stockholm,"
        f"{day(11)} 13:30,ja,uk",
    ]
    register = ["personnummer;enhet;handlaggare;epost",
                "200306062381;Enheten för ekonomiskt bistånd;Hanna Handläggare;handlaggare@example.org",
                "190006129803;Vuxenenheten;Johan Ek;vuxenenheten@example.org"]
    return tuple("\r\n".join(lines).encode("utf-8") for lines in (landlord, enforcement, register))  # type: ignore[return-value]


def load_demo() -> None:
    """Import the demo register and notices (the scheduler does the rest)."""
    landlord, enforcement, register = demo_files()
    import_register(register)
    import_file(landlord, today=local_today(), filename="demo-hyresvard.csv")
    import_file(enforcement, today=local_today(), filename="demo-kronofogden.csv")

