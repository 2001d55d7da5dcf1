"""The catalogs: messages.pot is current, every catalog is complete, and they compile."""

from portal import translations


def test_messages_pot_is_not_stale() -> None:
    assert not translations.pot_is_stale(), "run `portal translations update`"


def test_every_catalog_is_complete_without_fuzzy_entries_and_with_matching_placeholders() -> None:
    problems = translations.check_catalogs()
    assert [f"{p.lang}: {p.problem}: {p.msgid}" for p in problems] == []


def test_every_catalog_compiles_with_msgfmt_check() -> None:
    assert translations.compile_all() == []
