"""GeniusWeb JSON import and export (issue 14), on a hand-written jobs domain (tests/interchange/data/jobs)
with one profile in each key dialect (LinearAdditiveUtilitySpace / DiscreteValueSetUtilities /
NumberValueSetUtilities, and LinearAdditive / discreteutils / numberutils)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from truce.interchange import export_scenario, import_scenario
from truce.scenario import load
from truce.scenario.loading import validate

JOBS = Path(__file__).parent / "data" / "jobs"
SALARIES = [2000, 2500, 3000, 3500, 4000]
CARS = ["yes", "no"]


def by_hand(car: str, salary: int) -> tuple[float, float]:
    """GeniusWeb semantics: utilities as written, numbers linear between (low, lowUtility) and (high, highUtility)."""
    share = (salary - 2000) / 2000
    employer = 0.4 * {"yes": 0.2, "no": 1.0}[car] + 0.6 * (1 - share)
    candidate = 0.5 * {"yes": 0.9, "no": 0.3}[car] + 0.5 * (0.2 + 0.8 * share)
    return candidate, employer


def jobs():
    data, report = import_scenario(JOBS)
    return validate(data), report


def test_both_dialects_are_read_and_the_utilities_are_the_hand_computed_ones():
    scenario, _ = jobs()
    problem = scenario.compile()
    assert problem.party_ids == ("candidate", "employer")  # file order: candidate.json, employer.json
    packages = np.array(list(itertools.product(range(2), range(5))))
    expected = np.array([by_hand(CARS[c], SALARIES[s]) for c, s in packages])
    np.testing.assert_allclose(problem.utilities(packages), expected, atol=1e-12)
    # the reservation bid (yes, 3000) is worth 0.4 x 0.2 + 0.6 x 0.5 = 0.38 to the employer
    assert problem.reservation == pytest.approx([0.0, 0.38], abs=1e-12)
    assert by_hand("no", 2500) == pytest.approx((0.15 + 0.5 * 0.4, 0.4 + 0.6 * 0.75))


def test_the_frontier_and_the_nash_point_are_those_of_brute_force():
    problem = jobs()[0].compile()
    points = {(c, s): by_hand(c, s) for c in CARS for s in SALARIES}
    undominated = {o for o, u in points.items() if not any(v[0] >= u[0] and v[1] >= u[1] and v != u for v in points.values())}
    found = {(CARS[c], SALARIES[s]) for c, s in problem.pareto().packages}
    assert found == undominated
    reservation = (0.0, 0.38)
    nash = max((o for o in undominated if points[o][0] > reservation[0] and points[o][1] > reservation[1]),
               key=lambda o: (points[o][0] - reservation[0]) * (points[o][1] - reservation[1]))
    point = problem.nash_point()
    assert (CARS[point.package[0]], SALARIES[point.package[1]]) == nash


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", ["jobs", "two-issue-trade"])
def test_export_import_export_gives_the_same_files(tmp_path, name):
    scenario = jobs()[0] if name == "jobs" else load(name)
    first, _ = export_scenario(scenario, "geniusweb")
    second, _ = export_scenario(validate(import_scenario(_write(tmp_path / "first", first))[0]), "geniusweb")
    assert second == first


def test_import_export_import_gives_the_same_scenario(tmp_path):
    scenario, _ = jobs()
    files, report = export_scenario(scenario, "geniusweb")
    employer = json.loads(files["employer.json"])["LinearAdditiveUtilitySpace"]
    assert employer["reservationBid"] == {"issuevalues": {"lease car": "yes", "salary": 3000}}
    assert json.loads(files["domain.json"])["issuesValues"]["salary"] == {"range": {"low": 2000, "high": 4000, "step": 500}}
    again = validate(import_scenario(_write(tmp_path / "out", files))[0])
    left, right = scenario.model_dump(), again.model_dump()
    for data in (left, right):
        data.pop("description"), data.pop("notes")
    assert left == right
    assert "nothing lost" in report.text()


def test_a_reservation_no_package_is_worth_is_written_as_the_nearest_bid_and_reported():
    files, report = export_scenario(load("two-issue-trade"), "geniusweb")
    north = json.loads(files["north.json"])["LinearAdditiveUtilitySpace"]
    # North's packages are worth 0, .1, .2, .4, .5, ...: none is worth its reservation 0.3; the nearest are .2 and .4
    assert north["reservationBid"]["issuevalues"] in ({"Border crossings": "closed", "Border patrols": "none"}, {"Border crossings": "partly open", "Border patrols": "full"})
    assert "reservation 0.3 written as the reservation bid nearest it" in report.text()


def _with_settings(tmp_path: Path, deadline) -> Path:
    folder = tmp_path / "session"
    folder.mkdir()
    for file in JOBS.iterdir():
        (folder / file.name).write_text(file.read_text())
    participants = [{"TeamInfo": {"parties": [{"party": {"partyref": "classpath:a", "parameters": {}}, "profile": "file:candidate.json"}]}}]
    (folder / "settings.json").write_text(json.dumps({"SAOPSettings": {"participants": participants, "deadline": deadline}}))
    return folder


def test_a_settings_files_round_limit_becomes_the_deadline_and_its_time_limit_is_reported(tmp_path):
    folder = _with_settings(tmp_path, {"DeadlineRounds": {"rounds": 60, "durationms": 30000}})
    data, report = import_scenario(folder)
    assert data["rounds"] == 60
    assert "settings.json: the time limit of 30 s beside the 60 rounds is dropped; truce's deadline is in rounds only" in report.lines
    data, report = import_scenario(folder, rounds=25)  # the user's --rounds wins, and the report says so
    assert data["rounds"] == 25 and "settings.json: the settings' 60 rounds are replaced by --rounds 25" in report.lines


def test_a_time_deadline_keeps_the_default_rounds_and_says_so(tmp_path):
    data, report = import_scenario(_with_settings(tmp_path, {"deadlinetime": {"durationms": 10000}}))
    assert data["rounds"] == 40
    assert any("a deadline of 10 s of negotiation time (DeadlineTime)" in line and "40 rounds stand in for it" in line for line in report.lines)
    assert import_scenario(JOBS)[0]["rounds"] == 40 and not any("settings" in line for line in import_scenario(JOBS)[1].lines)


@pytest.mark.parametrize("deadline, field, words", [
    ({"DeadlineRounds": {"rounds": 0, "durationms": 100}}, "SAOPSettings.deadline.DeadlineRounds.rounds", "a whole number of rounds"),
    ({"DeadlineRounds": {"rounds": 10}}, "SAOPSettings.deadline.DeadlineRounds.durationms", "milliseconds"),
    ({"DeadlineTime": {"durationms": -5}}, "SAOPSettings.deadline.DeadlineTime.durationms", "milliseconds > 0"),
    ({"Deadline": {}}, "SAOPSettings.deadline", "one of DeadlineRounds"),
])
def test_a_bad_deadline_is_refused_naming_the_field(tmp_path, deadline, field, words):
    with pytest.raises(ValueError) as error:
        import_scenario(_with_settings(tmp_path, deadline))
    assert "settings.json" in str(error.value) and field in str(error.value) and words in str(error.value)
