"""What the areas add to intake's pages and hand-off is kept per app, and a slot claimed twice is refused at once."""

from __future__ import annotations

import pytest
from flask import Flask

from portal.intake import panels


def test_a_second_area_filling_the_same_hand_off_slot_is_refused(app: Flask) -> None:
    with pytest.raises(ValueError, match="registered twice"):
        panels.add_handoff_part(app, "booking", lambda item, protected: None)
    with pytest.raises(ValueError, match="registered twice"):
        panels.add_queue_column(app, panels.QueueColumn("Bokad tid", lambda items: {}))


def test_each_app_has_each_areas_parts_once(app: Flask) -> None:
    from portal import create_app

    other = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "test", "TESTING": True})
    for one in (app, other):
        with one.app_context():
            assert sorted(slot for slot, _ in panels.HANDOFF_PARTS.all()) == ["application", "booking"]
            assert len(panels.OUTSTANDING_CHECKS.all()) == 1
            assert [place for place, _, _ in panels.ITEM_PANELS.all()].count(panels.Place.BELOW_ACTIONS) == 2
