"""The figure builders format result objects: every number drawn is a number of the result."""

from __future__ import annotations

import base64
import json
from dataclasses import replace

import numpy as np
import pytest

pytest.importorskip("plotly")

from truce import Problem, load  # noqa: E402
from truce.forecast.results import ForecastResult, ForecastTrace  # noqa: E402
from truce.report import figures  # noqa: E402
from truce.report.inputs import LeverEffect, LeverEffects, Sensitivity, SensitivityBar, Survival  # noqa: E402


def numbers(values) -> np.ndarray:
    """A Plotly array as numbers, whether plain or in Plotly's typed-array JSON (``bdata``)."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"]))
    return np.asarray(values, dtype=float)


def traces(figure) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for trace in figures.to_json(figure)["data"]:
        found.setdefault(trace.get("name", ""), []).append(trace)
    return found


@pytest.fixture(scope="module")
def gaza():
    problem = load("gaza-ceasefire").compile()
    return problem, problem.analyze(), problem.simulate(runs=300, seed=7)


def test_two_party_plane_draws_the_frontier_no_deal_and_each_solution(gaza):
    _, analysis, _ = gaza
    figure = figures.agreement_space(analysis)
    drawn = traces(figure)
    frontier = next(t for name, ts in drawn.items() if name.startswith("Pareto frontier") for t in ts)
    order = np.lexsort((-analysis.frontier.utilities[:, 1], analysis.frontier.utilities[:, 0]))
    np.testing.assert_allclose(numbers(frontier["x"]), analysis.frontier.utilities[order, 0])
    np.testing.assert_allclose(numbers(frontier["y"]), analysis.frontier.utilities[order, 1])
    assert f"({len(analysis.frontier)} points" in frontier["name"]

    no_deal = next(ts for name, ts in drawn.items() if name.startswith("No deal"))
    assert [numbers(t["x"])[0] for t in no_deal] == [analysis.no_deal[0]] * 2  # both panels
    assert [numbers(t["y"])[0] for t in no_deal] == [analysis.no_deal[1]] * 2
    for solution in analysis.solutions:
        marker = drawn[solution.name][0]
        assert numbers(marker["x"])[0] == pytest.approx(solution.utilities[0])
        assert numbers(marker["y"])[0] == pytest.approx(solution.utilities[1])
        for option in solution.terms.values():
            assert option in marker["hovertext"][0]


def test_zopa_is_shaded_with_its_size_and_the_zoom_frames_it(gaza):
    _, analysis, _ = gaza
    figure = figures.agreement_space(analysis)
    zopa = next(t for name, ts in traces(figure).items() if name.startswith("Zone of possible agreement") for t in ts)
    assert f"{int(analysis.zopa.count):,} packages" in zopa["name"]
    x, y = numbers(zopa["x"]), numbers(zopa["y"])
    assert x.min() == pytest.approx(analysis.no_deal[0]) and y.min() == pytest.approx(analysis.no_deal[1])
    assert x.max() == pytest.approx(analysis.zopa.frontier_high[0]) and y.max() == pytest.approx(analysis.zopa.frontier_high[1])
    layout = figures.to_json(figure)["layout"]
    low, high = layout["xaxis2"]["range"]
    assert low < analysis.no_deal[0] and high > analysis.zopa.frontier_high[0]


def test_no_zopa_says_so_and_draws_one_panel():
    values = [np.array([[1.0, 0.0], [0.0, 1.0]])]
    problem = Problem.from_arrays(values, np.ones((2, 1)), reservation=np.array([0.9, 0.9]))
    figure = figures.agreement_space(problem.analyze())
    layout = figures.to_json(figure)["layout"]
    assert "xaxis2" not in layout
    assert any("No zone of possible agreement" in a["text"] for a in layout["annotations"])
    assert not any(name.startswith("Zone") for name in traces(figure))


def test_three_parties_draw_every_pair_and_colour_the_zopa_packages():
    problem = load("three-party-truce").compile()
    analysis = problem.analyze()
    figure = figures.agreement_space(analysis)
    layout = figures.to_json(figure)["layout"]
    titles = [a["text"] for a in layout["annotations"]]
    assert titles[:3] == ["Riverside and Hillside", "Riverside and Coastal", "Hillside and Coastal"]
    drawn = traces(figure)
    inside = drawn["Frontier packages in the zone of possible agreement"]
    acceptable = (analysis.frontier.utilities > analysis.no_deal).all(axis=1)
    assert len(inside) == 3 and all(len(numbers(t["x"])) == acceptable.sum() for t in inside)
    # Panel 2 plots Riverside (x) against Coastal (y).
    np.testing.assert_allclose(numbers(inside[1]["y"]), analysis.frontier.utilities[acceptable, 2])
    assert len(drawn["Nash bargaining solution"]) == 3


def test_a_large_frontier_is_thinned_for_drawing_and_says_so(gaza):
    _, analysis, _ = gaza
    frontier = next(t for name, ts in traces(figures.agreement_space(analysis, max_points=10)).items() if name.startswith("Pareto") for t in ts)
    assert len(numbers(frontier["x"])) == 10
    assert f"10 of {len(analysis.frontier)} drawn" in frontier["name"]


def test_rounds_histogram_is_the_results_histogram(gaza):
    _, _, simulation = gaza
    figure = figures.rounds_to_agreement(simulation)
    bars = figures.to_json(figure)["data"][0]
    np.testing.assert_array_equal(numbers(bars["y"]), simulation.rounds_histogram())
    np.testing.assert_array_equal(numbers(bars["x"]), np.arange(1, simulation.rounds_limit + 1))
    mean = simulation.rounds_to_agreement()["mean"]
    assert any(shape["x0"] == pytest.approx(mean) for shape in figures.to_json(figure)["layout"]["shapes"])


def test_agreed_terms_are_the_option_shares_with_the_common_package_highlighted(gaza):
    _, _, simulation = gaza
    shares = simulation.option_shares()
    terms, _ = simulation.most_common_package()
    drawn = figures.to_json(figures.agreed_terms(simulation))["data"]
    assert [trace["name"] for trace in drawn] == list(shares)
    for trace, (issue, options) in zip(drawn, shares.items()):
        assert trace["y"] == list(options)
        np.testing.assert_allclose(numbers(trace["x"]), list(options.values()))
        highlighted = [option for option, colour in zip(trace["y"], trace["marker"]["color"]) if colour == figures.HIGHLIGHT_COLOUR]
        assert highlighted == [terms[issue]]


def test_user_text_is_escaped_in_figures():
    problem = replace(Problem.from_arrays([np.array([[1.0, 0.0], [0.0, 1.0]])], np.ones((2, 1))), party_names=("<b>A</b>", "B & C"))
    layout = figures.to_json(figures.agreement_space(problem.analyze()))["layout"]
    assert layout["xaxis"]["title"]["text"] == "Utility to &lt;b&gt;A&lt;/b&gt;"
    assert layout["yaxis"]["title"]["text"] == "Utility to B &amp; C"


def test_positions_over_rounds_draw_each_actors_trace():
    positions = np.array([[[0.0], [1.0]], [[0.2], [0.8]], [[0.4], [0.6]]])
    forecast = np.array([[0.5], [0.5], [0.5]])
    result = ForecastResult(model="expected_utility", parameters={}, trace=ForecastTrace(positions=positions, forecast=forecast), actor_names=("A", "B"), dimension_names=("aid",))
    drawn = traces(figures.positions_over_rounds(result))
    np.testing.assert_allclose(numbers(drawn["A"][0]["y"]), [0.0, 0.2, 0.4])
    np.testing.assert_allclose(numbers(drawn["B"][0]["y"]), [1.0, 0.8, 0.6])
    np.testing.assert_allclose(numbers(drawn["forecast"][0]["y"]), [0.5, 0.5, 0.5])


def test_levers_are_ranked_with_their_intervals():
    effects = LeverEffects(
        baseline=0.5,
        effects=(LeverEffect("a", "Monitoring", 0.02, -0.01, 0.05), LeverEffect("b", "Guarantee", 0.10, 0.06, 0.14)),
        runs=1000,
    )
    assert effects.best.lever == "b"
    bars = figures.to_json(figures.lever_ranking(effects))["data"][0]
    assert bars["y"] == ["Guarantee", "Monitoring"]
    # changes of a probability, in percentage points: +10 pp and +2 pp, whiskers 4 and 3 pp
    np.testing.assert_allclose(numbers(bars["x"]), [10, 2])
    np.testing.assert_allclose(numbers(bars["error_x"]["array"]), [4, 3])
    np.testing.assert_allclose(numbers(bars["error_x"]["arrayminus"]), [4, 3])


def test_tornado_puts_the_widest_swing_first_around_the_baseline():
    sensitivity = Sensitivity(
        baseline=0.6,
        bars=(SensitivityBar("trust", "0.3", "0.7", 0.55, 0.65), SensitivityBar("no-deal value", "0.5", "0.68", 0.8, 0.3)),
    )
    low, high = figures.to_json(figures.sensitivity_tornado(sensitivity))["data"]
    assert low["y"] == ["no-deal value", "trust"]
    np.testing.assert_allclose(numbers(low["x"]) + low["base"], [0.8, 0.55])
    np.testing.assert_allclose(numbers(high["x"]) + high["base"], [0.3, 0.65])


def test_survival_reads_the_step_curve_at_the_horizon():
    survival = Survival(days=np.array([0, 30, 60, 120]), survival=np.array([1.0, 0.9, 0.7, 0.4]), low=np.array([1.0, 0.85, 0.6, 0.3]), high=np.array([1.0, 0.95, 0.8, 0.5]))
    assert survival.holds() == (0.7, 0.6, 0.8)  # day 90 lies on the step that starts at day 60
    assert survival.holds(120)[0] == 0.4 and survival.holds(10)[0] == 1.0
    line = traces(figures.survival_curve(survival))["still holding"][0]
    np.testing.assert_allclose(numbers(line["y"]), survival.survival)


def test_shapes_read_from_dicts():
    assert LeverEffects.from_dict({"baseline": 0.4, "runs": 10, "effects": [{"lever": "x", "label": "X", "change": 0.1, "low": 0.01, "high": 0.2}]}).best.label == "X"
    assert Survival.from_dict({"days": [0, 100], "survival": [1, 0.5]}).holds() == (1.0, None, None)
    assert Sensitivity.from_dict({"baseline": 0.5, "bars": [{"input": "t", "low_input": "0", "high_input": "1", "at_low": 0.4, "at_high": 0.6}]}).ranked[0].input == "t"


def assert_strict_json(data) -> None:
    """The figure as the page reads it: strict JSON (no NaN or Infinity literal) and no NaN or infinity
    inside Plotly's typed arrays (``{"dtype": "f8", "bdata": ...}``, base64 bytes a JSON check cannot see)."""

    def refuse(literal):
        raise AssertionError(f"non-finite literal {literal} in the figure's JSON")

    text = json.dumps(data)  # NaN or infinity as a number becomes a literal here
    json.loads(text, parse_constant=refuse)

    def walk(node) -> None:
        if isinstance(node, dict):
            if "bdata" in node and str(node.get("dtype", "")).startswith("f"):
                assert np.isfinite(numbers(node)).all(), f"NaN or infinity in a typed array: {numbers(node)}"
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)


def test_figure_json_is_strict_json(gaza):
    _, analysis, simulation = gaza
    for figure in (figures.agreement_space(analysis), figures.rounds_to_agreement(simulation), figures.agreed_terms(simulation)):
        assert_strict_json(figures.to_json(figure))


def test_the_strict_json_check_catches_nan_in_typed_arrays():
    """Before issue 18's fix a numpy array with NaN reached the page as a typed array holding NaN (Plotly
    encodes numpy arrays as base64 bytes), which the old check, a json.dumps of Plotly's own JSON, let through."""
    import plotly.graph_objects as go

    figure = go.Figure(go.Scatter(x=np.array([0.0, 1.0, 2.0]), y=np.array([np.nan, 0.5, np.inf])))
    with pytest.raises(AssertionError):
        assert_strict_json(json.loads(figure.to_json()))
    data = figures.to_json(figure)
    assert_strict_json(data)
    assert list(numbers(data["data"][0]["x"])) == [0.0, 1.0, 2.0]
    assert data["data"][0]["y"] == [None, 0.5, None]


def test_figure_json_turns_nan_and_infinity_into_null():
    # an undefined figure value (a mean over no deals) must reach the page as null, which JSON allows, not NaN
    import plotly.graph_objects as go

    figure = go.Figure(go.Scatter(x=[0.0, 1.0, 2.0], y=[float("nan"), 0.5, float("inf")]))
    data = figures.to_json(figure)
    assert data["data"][0]["y"] == [None, 0.5, None]
    json.dumps(data, allow_nan=False)
