"""Issue 26: a few simulated weeks of the unit (benchmarks.simulation, the same code as `python -m benchmarks
year`), on SQLite and PostgreSQL, with real letters: a daily trickle and a landlord's bulk file into a small
reception, across Easter 2027. Whatever people do, every notice gets a letter or a task, every household a
contact attempt (or an escalation) before its deadline, and every booked time is one the letter reaches in time.
"""

from __future__ import annotations

from datetime import date

from flask import Flask

from benchmarks.simulation import ContactBehaviour, Plan, Simulation


def test_a_few_simulated_weeks_keep_the_legal_clock(app: Flask) -> None:
    plan = Plan(start=date(2027, 3, 8), days=20, total=240, bulk=((date(2027, 3, 15), 120),), places_per_slot=2,
                hours=(("09:00", "11:00"),), seed=7)
    report = Simulation(app, plan, ContactBehaviour(), tail_days=35).run()
    print("\n".join(report.lines()))
    assert report.notices >= 200 and {"uppsagning", "avhysning"} <= set(report.by_kind)
    assert report.without_letter_or_task == []
    assert report.missing_attempt == [] and report.attempt_or_escalation_before_deadline == 100.0
    assert report.booked > 0 and report.letters_late == [] and report.letter_in_time == 100.0
    # The bulk file filled the small reception: the warning came and the administrator added extra times.
    assert report.warning_days > 0 and report.extra_sessions > 0
    # People did all the things people do.
    assert {"booked:attend", "booked:no_show"} <= set(report.reactions)


def test_the_behaviour_model_draws_reactions_per_letter_variant() -> None:
    import random

    behaviour = ContactBehaviour(letter={"booked": {"attend": 1.0}, "code": {}})
    rng = random.Random(1)
    assert behaviour.on_letter(rng, variant="booked") == "attend"
    assert behaviour.on_letter(rng, variant="code") == "nothing"
    assert ContactBehaviour(reach={"call": 1.0}).reached(rng, channel="call")
    draws = [ContactBehaviour().on_letter(random.Random(n), variant="booked") for n in range(2000)]
    assert 0.50 < draws.count("attend") / len(draws) < 0.66
