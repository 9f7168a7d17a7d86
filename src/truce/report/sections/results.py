"""The engines' sections: agreement space, forecast, simulation, levers, sensitivity and durability."""

from __future__ import annotations

from typing import TYPE_CHECKING

from truce.report import figures, readings
from truce.report.markup import Section, figure, table, text

if TYPE_CHECKING:
    from truce.analysis.results import Analysis
    from truce.report.inputs import LeverEffects, Sensitivity, Survival
    from truce.simulate.results import SimulationResult


def agreement_section(analysis: "Analysis") -> Section:
    body = [figure(figures.agreement_space(analysis), "figure-agreement-space")]
    if analysis.solutions:
        concepts = analysis.solutions
        rows = [[text(issue), *(text(s.terms[issue]) for s in concepts)] for issue in analysis.issue_names]
        for p, name in enumerate(analysis.party_names):
            rows.append([f"<em>{text(name)}: utility (gain over no deal)</em>", *(f'<span class="num">{s.utilities[p]:.3f} ({s.gains[p]:+.3f})</span>' for s in concepts)])
        body.append("<h3>The packages the solution concepts pick</h3>")
        body.append(table(("", *(text(s.name) for s in concepts)), rows, css="compact"))
    return Section("agreement-space", "Agreement space", readings.agreement_space(analysis), tuple(body))


def forecast_section(forecast) -> Section:
    """An issue forecast (``problem.forecast()``) or an engine's raw :class:`ForecastResult`."""
    if not hasattr(forecast, "to_issue_scale"):
        body = (figure(figures.positions_over_rounds(forecast), "figure-forecast"),)
        return Section("forecast", "Forecast: positions over rounds", readings.forecast(forecast), body)
    rows = [(text(issue), f"<strong>{text(where)}</strong>") for issue, where in forecast.outcome().items()]
    body = (figure(figures.issue_positions(forecast), "figure-forecast"), "<h3>Where the forecast ends</h3>", table(("issue", "forecast"), rows, css="compact"))
    return Section("forecast", "Forecast: positions over rounds", readings.forecast(forecast), body)


def simulation_section(simulation: "SimulationResult", party_names: dict[str, str]) -> Section:
    body = [
        figure(figures.rounds_to_agreement(simulation), "figure-rounds"),
        figure(figures.agreed_terms(simulation), "figure-terms"),
    ]
    if simulation.agreed.any():
        rows = [
            (text(party_names.get(p, p)), f'<span class="num">{u:.3f}</span>', f'<span class="num">{simulation.reservation[:, k].mean():.3f}</span>')
            for k, (p, u) in enumerate(simulation.mean_utilities().items())
        ]
        body.append("<h3>What the signed packages were worth</h3>")
        body.append(table(("party", "mean utility of the signed package", "mean no-deal value drawn"), rows, css="compact"))
    return Section("simulation", "Simulation", readings.simulation(simulation, party_names), tuple(body))


def levers_section(levers: "LeverEffects") -> Section:
    return Section("levers", "Mediator levers", readings.levers(levers), (figure(figures.lever_ranking(levers), "figure-levers"),))


def sensitivity_section(sensitivity: "Sensitivity") -> Section:
    return Section("sensitivity", "Sensitivity", readings.sensitivity(sensitivity), (figure(figures.sensitivity_tornado(sensitivity), "figure-sensitivity"),))


NOT_A_CEASEFIRE_READING = (
    "This scenario does not declare a ceasefire (no `kind: ceasefire`, no durability block, no option with ceasefire "
    "provisions), so the report has no survival curve: the durability model follows ceasefires after signature and "
    "does not apply here. Levers are compared by the chance of a deal."
)


def durability_section(durability: "Survival") -> Section:
    return Section("durability", "Durability", readings.durability(durability), (figure(figures.survival_curve(durability), "figure-durability"),))
