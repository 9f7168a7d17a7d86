"""GENIUS XML import and export (issue 14), on a hand-written two-issue domain (tests/interchange/data/holiday)
whose utilities are worked out by hand below, and round trips through truce's own scenarios."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from truce.interchange import export_scenario, import_scenario
from truce.scenario import load
from truce.scenario.loading import validate

HOLIDAY = Path(__file__).parent / "data" / "holiday"

# By hand, GENIUS semantics: a discrete value is worth its evaluation over the issue's highest
# evaluation; an integer value clip(offset + slope (x - lowerbound), 0, 1).
ANN_DESTINATION = {"beach": 4 / 4, "city": 2 / 4, "mountains": 1 / 4}
BOB_DESTINATION = {"beach": 1 / 6, "city": 3 / 6, "mountains": 6 / 6}
ANN_NIGHTS = {n: min(1.0, max(0.0, 0.0 + 0.25 * (n - 1))) for n in range(1, 6)}  # 0, .25, .5, .75, 1
BOB_NIGHTS = {n: min(1.0, max(0.0, 1.2 - 0.3 * (n - 1))) for n in range(1, 6)}  # 1 (clipped), .9, .6, .3, 0
DESTINATIONS = ["beach", "city", "mountains"]


def by_hand(destination: str, nights: int) -> tuple[float, float]:
    return (
        0.6 * ANN_DESTINATION[destination] + 0.4 * ANN_NIGHTS[nights],
        0.3 * BOB_DESTINATION[destination] + 0.7 * BOB_NIGHTS[nights],
    )


def holiday():
    data, report = import_scenario(HOLIDAY)
    return validate(data, source=str(HOLIDAY)), report


def test_the_imported_utilities_are_the_hand_computed_ones():
    scenario, _ = holiday()
    problem = scenario.compile()
    assert problem.party_ids == ("holiday_ann", "holiday_bob")
    packages = np.array(list(itertools.product(range(3), range(5))))
    utilities = problem.utilities(packages)
    expected = np.array([by_hand(DESTINATIONS[d], n + 1) for d, n in packages])
    np.testing.assert_allclose(utilities, expected, atol=1e-12)
    assert by_hand("beach", 3) == pytest.approx((0.8, 0.47))  # worked: .6 x 1 + .4 x .5; .3 / 6 + .7 x .6
    np.testing.assert_allclose(problem.reservation, [0.2, 0.1])


def test_the_frontier_and_the_nash_point_are_those_of_brute_force_over_the_fifteen_packages():
    scenario, _ = holiday()
    problem = scenario.compile()
    outcomes = [(d, n) for d in DESTINATIONS for n in range(1, 6)]
    points = {outcome: by_hand(*outcome) for outcome in outcomes}
    undominated = {
        outcome for outcome, u in points.items()
        if not any(all(v[i] >= u[i] for i in range(2)) and v != u for v in points.values())
    }
    frontier = problem.pareto()
    found = {(DESTINATIONS[d], int(problem.grids[1][n])) for d, n in frontier.packages}
    assert found == undominated
    reservation = (0.2, 0.1)
    nash = max(
        (outcome for outcome in undominated if all(points[outcome][i] > reservation[i] for i in range(2))),
        key=lambda outcome: (points[outcome][0] - 0.2) * (points[outcome][1] - 0.1),
    )
    point = problem.nash_point()
    assert (DESTINATIONS[point.package[0]], int(problem.grids[1][point.package[1]])) == nash
    np.testing.assert_allclose(point.utilities, points[nash], atol=1e-12)


def test_the_discount_factor_is_spread_over_the_rounds_and_written_back():
    data, report = import_scenario(HOLIDAY, rounds=20)
    ann = data["actors"][0]
    assert ann["discount"] ** 20 == pytest.approx(0.9, abs=1e-14)
    assert "discount" not in data["actors"][1]  # no discount_factor element: no discounting
    assert any("0.9 over normalised time" in line for line in report.lines)
    files, _ = export_scenario(validate(data), "genius")
    assert '<discount_factor value="0.9" />' in files["holiday_ann.xml"]
    assert '<discount_factor value="1" />' in files["holiday_bob.xml"]


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _same_scenario(a, b) -> None:
    left, right = a.model_dump(), b.model_dump()
    for data in (left, right):
        data.pop("description"), data.pop("notes")
    assert left == right


@pytest.mark.parametrize("name", ["two-issue-trade", "holiday"])
def test_export_import_export_gives_the_same_files(tmp_path, name):
    scenario = holiday()[0] if name == "holiday" else load(name)
    first, _ = export_scenario(scenario, "genius")
    data, _ = import_scenario(_write(tmp_path / "first", first))
    second, _ = export_scenario(validate(data), "genius")
    assert second == first


def test_import_export_import_gives_the_same_scenario(tmp_path):
    scenario, _ = holiday()
    files, report = export_scenario(scenario, "genius")
    # the line is clipped at x = 1 (1.2 -> 1): the export recovers GENIUS's slope and offset from the unclipped points
    assert '<evaluator ftype="linear" slope="-0.3" offset="1.2" />' in files["holiday_bob.xml"]
    assert 'etype="integer"' in files["domain.xml"] and 'lowerbound="1" upperbound="5"' in files["domain.xml"]
    again = validate(import_scenario(_write(tmp_path / "out", files))[0])
    _same_scenario(scenario, again)
    np.testing.assert_allclose(again.compile().values[1], scenario.compile().values[1], atol=1e-12)


def test_the_export_reports_what_genius_cannot_say():
    files, report = export_scenario(load("gaza-ceasefire"), "genius")
    text = report.text()
    for needle in ("mediator", "lever", "durability", "trust", "numeric, written as a discrete issue"):
        assert needle in text, needle
    assert set(files) == {"domain.xml", "hamas.xml", "israel.xml"}


def test_a_folder_without_two_profiles_is_refused_naming_it(tmp_path):
    folder = tmp_path / "lonely"
    folder.mkdir()
    (folder / "d.xml").write_text((HOLIDAY / "holiday_domain.xml").read_text())
    (folder / "p.xml").write_text((HOLIDAY / "holiday_ann.xml").read_text())
    with pytest.raises(ValueError, match="lonely: found 1 profile"):
        import_scenario(folder)


REAL_DOMAIN = """<negotiation_template><utility_space number_of_issues="2"><objective index="0" name="Energy">
<issue name="Price" index="1" etype="real" type="real" vtype="real"><range lowerbound="0" upperbound="2"/></issue>
<issue name="Term" index="2" etype="discrete" type="discrete" vtype="discrete"><item index="1" value="short"/><item index="2" value="long"/></issue>
</objective></utility_space></negotiation_template>"""


def _real_profile(constant: str, linear: str, short: str, long: str, discount: str) -> str:
    return f"""<utility_space><objective index="0" name="Energy">
<issue name="Price" index="1" etype="real" type="real" vtype="real"><range lowerbound="0" upperbound="2"/>
<evaluator ftype="linear" parameter0="{constant}" parameter1="{linear}"/></issue>
<issue name="Term" index="2" etype="discrete" type="discrete" vtype="discrete"><item index="1" value="short" evaluation="{short}"/><item index="2" value="long" evaluation="{long}"/></issue>
<weight index="1" value="0.5"/><weight index="2" value="0.5"/></objective><discount_factor value="{discount}"/></utility_space>"""


def test_a_real_issue_is_a_numeric_issue_on_ten_steps_valued_by_its_clipped_line(tmp_path):
    folder = _write(tmp_path / "energy", {
        "energy.xml": REAL_DOMAIN,
        "seller.xml": _real_profile("0.2", "0.6", "1", "3", "0"),  # a discount factor of 0: no discounting (GENIUS)
        "buyer.xml": _real_profile("1.5", "-1", "2", "1", "1"),
    })
    data, report = import_scenario(folder)
    problem = validate(data).compile()
    price = np.linspace(0, 2, 11)
    np.testing.assert_allclose(problem.grids[0], price)
    buyer, seller = problem.party_ids.index("buyer"), problem.party_ids.index("seller")
    np.testing.assert_allclose(problem.values[0][:, seller], np.clip(0.2 + 0.6 * price, 0, 1), atol=1e-12)  # 0.2 .. 1 (clipped past 4/3)
    np.testing.assert_allclose(problem.values[0][:, buyer], np.clip(1.5 - price, 0, 1), atol=1e-12)  # 1 (clipped) .. 0 (clipped)
    np.testing.assert_allclose(problem.values[1][:, seller], [1 / 3, 1.0])
    assert problem.discount[seller] == 1.0
    assert any("real (continuous) issue, discretised into 10 steps of 0.2" in line for line in report.lines)
    assert any("seller.xml: discount factor 0" in line for line in report.lines)


def _shaped_profile(evaluator: str) -> str:
    return f"""<utility_space><objective index="0" name="Energy">
<issue name="Price" index="1" etype="real" type="real" vtype="real"><range lowerbound="0" upperbound="2"/>{evaluator}</issue>
<issue name="Term" index="2" etype="discrete" type="discrete" vtype="discrete"><item index="1" value="short" evaluation="1"/><item index="2" value="long" evaluation="2"/></issue>
<weight index="1" value="0.5"/><weight index="2" value="0.5"/></objective></utility_space>"""


def test_triangular_and_constant_real_evaluators_are_valued_as_genius_does(tmp_path):
    folder = _write(tmp_path / "shapes", {
        "energy.xml": REAL_DOMAIN,
        # a triangle from 0.4 to 1.8 with its top at 1.0 (on the grid of steps of 0.2)
        "seller.xml": _shaped_profile('<evaluator ftype="triangular" parameter0="0.4" parameter1="1.8" parameter2="1.0"/>'),
        # a triangle whose top, 0.5, falls between grid points 0.4 and 0.6
        "buyer.xml": _shaped_profile('<evaluator ftype="triangular" parameter0="0" parameter1="1" parameter2="0.5"/>'),
        "broker.xml": _shaped_profile('<evaluator ftype="constant" parameter0="0.3"/>'),
    })
    data, report = import_scenario(folder)
    problem = validate(data).compile()
    column = {party: problem.values[0][:, problem.party_ids.index(party)] for party in ("seller", "buyer", "broker")}
    # by hand, x = 0, 0.2, ..., 2: 0 below 0.4; (x - 0.4) / 0.6 up to 1; 1 - (x - 1) / 0.8 up to 1.8; 0 from 1.8
    seller = [0, 0, 0, 1 / 3, 2 / 3, 1, 0.75, 0.5, 0.25, 0, 0]
    buyer = [0, 0.4, 0.8, 0.8, 0.4, 0, 0, 0, 0, 0, 0]  # (x - 0) / 0.5 up to 0.5, 1 - (x - 0.5) / 0.5 after it
    np.testing.assert_allclose(column["seller"], seller, atol=1e-12)
    np.testing.assert_allclose(column["buyer"], buyer, atol=1e-12)
    np.testing.assert_allclose(column["broker"], 0.3)
    assert [line for line in report.lines if "top" in line] == [
        "buyer.xml: issue 'Price': the triangle's top 0.5 falls between the grid's points; its best grid point is worth 0.8, not 1"
    ]


@pytest.mark.parametrize("evaluator, words", [
    ('<evaluator ftype="faratin" parameter0="0"/>', "'faratin'; expected linear or triangular or constant"),
    ('<evaluator ftype="triangular" parameter0="1" parameter1="0.5" parameter2="0.7"/>', "expected a triangle from parameter0 to parameter1"),
    ('<evaluator ftype="triangular" parameter0="0" parameter1="1"/>', "parameter2"),
    ('<evaluator ftype="constant" parameter0="1.5"/>', "expected a value in [0, 1]"),
])
def test_a_bad_real_evaluator_is_refused_naming_the_issue(tmp_path, evaluator, words):
    folder = _write(tmp_path / "bad", {"energy.xml": REAL_DOMAIN, "a.xml": _shaped_profile(evaluator), "b.xml": _shaped_profile(evaluator)})
    with pytest.raises(ValueError, match="issue 'Price'") as error:
        import_scenario(folder)
    assert words in str(error.value)


NESTED_DOMAIN = """<negotiation_template><utility_space><objective index="0" name="Root">
<objective index="1" name="Money" etype="objective" type="objective">
<issue name="Price" index="2" etype="discrete" type="discrete"><item index="1" value="low"/><item index="2" value="high"/></issue></objective>
<issue name="Term" index="3" etype="discrete" type="discrete"><item index="1" value="short"/><item index="2" value="long"/></issue>
</objective></utility_space></negotiation_template>"""


def _nested_profile(low: str, high: str) -> str:
    return f"""<utility_space><objective index="0" name="Root">
<objective index="1" name="Money" etype="objective" type="objective">
<issue name="Price" index="2" etype="discrete" type="discrete"><item index="1" value="low" evaluation="{low}"/><item index="2" value="high" evaluation="{high}"/></issue>
<weight index="2" value="0.8"/></objective>
<issue name="Term" index="3" etype="discrete" type="discrete"><item index="1" value="short" evaluation="1"/><item index="2" value="long" evaluation="1"/></issue>
<weight index="1" value="0.5"/><weight index="3" value="0.2"/></objective></utility_space>"""


def test_issues_in_nested_objectives_count_with_their_own_weights_and_objective_weights_are_ignored(tmp_path):
    """GENIUS's getUtility: 0.8 x Price + 0.2 x Term; the objective Money's weight 0.5 plays no part."""
    folder = _write(tmp_path / "nested", {"domain.xml": NESTED_DOMAIN, "buyer.xml": _nested_profile("2", "1"), "seller.xml": _nested_profile("1", "4")})
    data, report = import_scenario(folder)
    problem = validate(data).compile()
    assert len(problem.issue_ids) == 2
    buyer, seller = problem.party_ids.index("buyer"), problem.party_ids.index("seller")
    np.testing.assert_allclose(problem.weights[buyer], [0.8, 0.2])
    np.testing.assert_allclose(problem.values[0][:, buyer], [1.0, 0.5])
    np.testing.assert_allclose(problem.values[0][:, seller], [0.25, 1.0])
    assert sum("objective(s) Money are ignored" in line for line in report.lines) == 2


@pytest.mark.parametrize("target", ["genius", "geniusweb", "ktab"])
def test_a_red_line_is_reported_as_lost_on_export(target):
    scenario = load("two-issue-trade")
    data = scenario.model_dump(mode="json", exclude_none=True)
    party = next(actor for actor in data["actors"] if actor["role"] == "party")
    issue_id, stance = next(iter(party["stances"].items()))
    issue = next(issue for issue in data["issues"] if issue["id"] == issue_id)
    worst = next(option for option in issue["options"] if option != stance["position"])
    stance["red_line"] = {"never": [worst]}
    _, report = export_scenario(validate(data), target)
    assert any(f"actor '{party['id']}': a red line on issue '{issue_id}'" in line and "no hard constraints" in line for line in report.lines)
    _, plain = export_scenario(scenario, target)
    assert not any("red line" in line for line in plain.lines)
