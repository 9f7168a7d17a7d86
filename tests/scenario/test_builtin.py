"""Every built-in scenario loads, has a zone of possible agreement, and says where its numbers come from."""

from __future__ import annotations

import pytest

import truce
from truce.scenario.distributions import Distribution

NAMES = sorted(truce.builtin_scenarios())


def test_the_flagship_and_two_teaching_scenarios_ship():
    assert {"gaza-ceasefire", "two-issue-trade", "three-party-truce"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_loads_compiles_and_has_a_zopa(name):
    scenario = truce.load(name)
    problem = scenario.compile()
    assert problem.zopa().exists
    assert problem.nash_point() is not None


@pytest.mark.parametrize("name", NAMES)
def test_every_number_has_a_note(name):
    scenario = truce.load(name)
    for actor in scenario.actors:
        fields = ["capability"] if actor.role != "party" else ["capability", "reservation", "cost_of_delay"]
        explicit = [f for f in fields if f in actor.model_fields_set]
        missing = [f for f in explicit if f not in actor.notes]
        assert not missing, f"{name}: {actor.id} has no note for {missing}"
        for issue_id, stance in actor.stances.items():
            assert stance.note, f"{name}: {actor.id}.stances.{issue_id} has no note"


def test_flagship_matches_the_report():
    scenario = truce.load("gaza-ceasefire")
    roles = {actor.id: actor.role for actor in scenario.actors}
    assert {roles["israel"], roles["hamas"]} == {"party"}
    assert all(roles[m] == "mediator" for m in ("egypt", "qatar", "un"))
    assert len(scenario.issues) >= 7
    assert any(s.id == "report" for s in scenario.sources)
    assert any(isinstance(actor.reservation, Distribution) for actor in scenario.parties)


def test_flagship_treats_both_parties_alike():
    """Same fields given, same issues covered, notes for the same numbers."""
    first, second = truce.load("gaza-ceasefire").parties
    assert first.model_fields_set == second.model_fields_set
    assert set(first.stances) == set(second.stances)
    assert set(first.notes) == set(second.notes)


def test_the_catalogue_reads_the_built_in_files_once_and_hands_out_copies(monkeypatch):
    from truce.scenario import loading

    loading._builtin_catalogue.cache_clear()
    reads = []
    original = loading.read_yaml
    monkeypatch.setattr(loading, "read_yaml", lambda text: reads.append(1) or original(text))
    first = loading.builtin_scenarios()
    count = len(reads)
    assert count == len(first) > 0 and "gaza-ceasefire" in first
    first["changed"] = "by a caller"
    assert loading.builtin_scenarios() == {k: v for k, v in first.items() if k != "changed"}
    assert len(reads) == count  # no file read again
    loading._builtin_catalogue.cache_clear()
