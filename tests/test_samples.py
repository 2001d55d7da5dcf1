"""The sample files the tests read are copies of ../shared/data's, which state the formats' happy path."""

from __future__ import annotations

import pytest

from tests.outreach.factories import SAMPLES, SHARED_DATA


def test_the_copied_samples_match_the_shared_originals() -> None:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not beside this checkout; the copies in tests/data/samples stand in")
    originals = sorted(path.name for path in SHARED_DATA.iterdir() if path.name != "README.md")
    assert sorted(path.name for path in SAMPLES.iterdir()) == originals
    for name in originals:
        assert (SAMPLES / name).read_bytes() == (SHARED_DATA / name).read_bytes(), name
