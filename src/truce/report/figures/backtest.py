"""The back-test figure: per issue, what each case's simulation, solution points and forecast gave against the real term."""

from __future__ import annotations

from typing import TYPE_CHECKING

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from truce.report.figures.common import HIGHLIGHT_COLOUR, SOLUTION_MARKERS, label, layout

if TYPE_CHECKING:
    from truce.backtest.run import BacktestResult

FORECAST_MARKER = ("x-thin-open", 14, "#009E73")


def predicted_vs_realised(result: "BacktestResult") -> go.Figure:
    """One panel per issue (in order of first appearance), one column per case: the simulated deals'
    10-90% range and mean, the Nash and Kalai-Smorodinsky points, the forecast, and the real term
    (black circle) on the issue's own scale; a real term that was deferred is written across its
    column ("real term: deferred"), a categorical one has no point."""
    issues: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    for case in result.cases:
        for term in case.terms:
            issues.setdefault(term.issue, (term.issue_name, term.scale, term.options))
    names = list(issues)
    figure = make_subplots(rows=max(1, len(names)), cols=1, subplot_titles=[label(issues[i][0]) for i in names], vertical_spacing=0.06 if len(names) > 4 else 0.12)
    shown: set[str] = set()

    def add(row: int, name: str, **trace) -> None:
        figure.add_trace(go.Scatter(name=name, legendgroup=name, showlegend=name not in shown, **trace), row=row, col=1)
        shown.add(name)

    nash_symbol, nash_size, nash_colour = SOLUTION_MARKERS["nash"]
    kalai_symbol, kalai_size, kalai_colour = SOLUTION_MARKERS["kalai"]
    for row, issue in enumerate(names, start=1):
        _, scale, options = issues[issue]
        for case in result.cases:
            term = next((t for t in case.terms if t.issue == issue), None)
            if term is None:
                continue
            x = [label(case.case)]
            if term.simulated_mean is not None:
                add(
                    row, "simulated deals (mean, 10-90%)", x=x, y=[term.simulated_mean], mode="markers",
                    marker={"color": HIGHLIGHT_COLOUR, "size": 9},
                    error_y={"type": "data", "symmetric": False, "array": [term.simulated_high - term.simulated_mean], "arrayminus": [term.simulated_mean - term.simulated_low]},
                    hovertemplate=f"{label(case.case)}: simulated mean %{{y:.3g}} {label(scale)}<extra></extra>",
                )
            points = (
                ("Nash", term.nash_distance, (nash_symbol, nash_size, nash_colour)),
                ("Kalai-Smorodinsky", term.kalai_smorodinsky_distance, (kalai_symbol, kalai_size, kalai_colour)),
                (f"forecast ({result.forecast_model})", term.forecast_distance, FORECAST_MARKER),
            )
            for name, distance, (symbol, size, colour) in points:
                if distance is not None and term.real_position is not None and scale != "match":
                    add(row, name, x=x, y=[term.real_position + distance], mode="markers", marker={"symbol": symbol, "size": size, "color": colour, "line": {"width": 2}},
                        hovertemplate=f"{label(case.case)}: {label(name)} %{{y:.3g}}<extra></extra>")
            if term.real_position is None and scale != "match":
                figure.add_annotation(
                    x=x[0], y=0.5, yref="y domain", text="real term:<br>deferred", showarrow=False, font={"size": 11, "color": "#000000"},
                    bordercolor="#000000", borderwidth=1, bgcolor="rgba(255,255,255,0.8)", row=row, col=1,
                )
            if term.real_position is not None:
                add(row, "real term", x=x, y=[term.real_position], mode="markers", marker={"symbol": "circle-open", "size": 16, "color": "#000000", "line": {"width": 2.5}},
                    hovertemplate=f"{label(case.case)}: real {label(term.real)}<extra></extra>")
        if options:
            figure.update_yaxes(tickmode="array", tickvals=list(range(len(options))), ticktext=[label(o) for o in options], range=[-0.5, len(options) - 0.5], row=row, col=1)
        else:
            figure.update_yaxes(title=label(scale), row=row, col=1)
    return layout(figure, title="Predicted against realised, per issue", height=max(420, 260 * len(names)))
