"""Plotly figures of result objects, shared by the HTML report and the web page.

Each builder takes one result object (an engine's, or a shape from
:mod:`truce.report.inputs`) and formats it: it reads the arrays and named
figures the engine produced and never runs an engine or recomputes a
figure. The only arithmetic here is for display (sorting, thinning a very
large frontier to a drawable number of points, percentages).

Colours follow the Okabe-Ito palette (distinguishable with common colour
vision deficiencies); parties get colours in file order, with no meaning
attached to any colour.
"""

from __future__ import annotations

import itertools
import json
from html import escape
from typing import TYPE_CHECKING, Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from truce.report.readings import percent

if TYPE_CHECKING:
    from truce.analysis.results import Analysis
    from truce.forecast.results import ForecastResult
    from truce.report.inputs import LeverEffects, Sensitivity, Survival
    from truce.simulate.results import SimulationResult

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
"""Okabe-Ito colours, one per actor in file order."""
FRONTIER_COLOUR = "#444444"
ZOPA_COLOUR = "#009E73"
NO_DEAL_COLOUR = "#000000"
BAR_COLOUR = "#56B4E9"
HIGHLIGHT_COLOUR = "#0072B2"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

SOLUTION_MARKERS = {
    # Open symbols of decreasing size, so that coinciding solutions stay visible.
    "nash": ("diamond-open", 20, "#D55E00"),
    "kalai": ("square-open", 15, "#CC79A7"),
    "egalitarian": ("triangle-up-open", 12, "#0072B2"),
    "utilitarian": ("star", 8, "#E69F00"),
}
MAX_POINTS = 4000
"""Frontiers larger than this are thinned, evenly, for drawing (the caption says so)."""
MAX_PAIRS = 15
"""Pairwise panels drawn for three or more parties (the first parties' pairs beyond that are left out)."""

CONFIG = {"displaylogo": False, "responsive": True}
"""Plotly's browser options for every figure (no link to an online service)."""


def _layout(figure: go.Figure, *, title: str, height: int) -> go.Figure:
    figure.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 16}},
        template="plotly_white",
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 60, "r": 20, "t": 70, "b": 50},
        # Just below the x axis title, whatever the figure's height.
        legend={"orientation": "h", "yanchor": "top", "y": -min(0.12, 75 / height), "x": 0.0},
        hoverlabel={"namelength": -1},
    )
    return figure


def label(text: object) -> str:
    """User text (names, options) for a figure: Plotly reads text as HTML-like markup, so escape it."""
    return escape(str(text), quote=False)


def to_json(figure: go.Figure) -> dict[str, Any]:
    """A figure as a JSON-safe dict ``{"data": [...], "layout": {...}}`` for ``Plotly.newPlot``."""
    return json.loads(figure.to_json())


# --------------------------------------------------------------- agreement space
def _marker_style(solution_name: str) -> tuple[str, int, str]:
    key = solution_name.lower()
    return next((style for start, style in SOLUTION_MARKERS.items() if key.startswith(start)), ("circle-open", 10, "#000000"))


def _thinned(order: np.ndarray, limit: int) -> np.ndarray:
    if len(order) <= limit:
        return order
    return order[np.unique(np.linspace(0, len(order) - 1, limit).round().astype(int))]


def _solution_hover(solution, names: tuple[str, ...]) -> str:
    lines = [f"<b>{label(solution.name)}</b>"]
    lines += [f"{name}: {u:.3f} (gain {g:+.3f})" for name, u, g in zip(names, solution.utilities, solution.gains)]
    lines += [f"{label(issue)}: {label(option)}" for issue, option in solution.terms.items()]
    return "<br>".join(lines)


def agreement_space(analysis: "Analysis", *, max_points: int = MAX_POINTS) -> go.Figure:
    """The Pareto frontier in the parties' utility plane, with the solution concepts,
    the no-deal point and the zone of possible agreement (ZOPA).

    Two parties: one plane. Three or more: one panel per pair of parties,
    each showing the projection of the (many-party) frontier; frontier
    packages inside the ZOPA (every party above its no-deal value) are
    drawn in the ZOPA colour.
    """
    if len(analysis.party_names) == 2:
        return _agreement_plane(analysis, max_points)
    return _agreement_pairs(analysis, max_points)


def _agreement_plane(analysis: "Analysis", max_points: int) -> go.Figure:
    """Two parties: the whole plane, and beside it a zoom on the ZOPA (where the solution concepts lie)."""
    names = tuple(label(name) for name in analysis.party_names)
    utilities = analysis.frontier.utilities
    no_deal = analysis.no_deal
    zopa = analysis.zopa
    order = np.lexsort((-utilities[:, 1], utilities[:, 0]))
    shown = _thinned(order, max_points)
    inside = _thinned(order[(utilities[order] > no_deal).all(axis=1)], max_points)
    panels = 2 if len(inside) else 1
    figure = make_subplots(
        rows=1,
        cols=panels,
        subplot_titles=["All packages", "Zoom on the zone of possible agreement"][:panels],
        horizontal_spacing=0.1,
    )
    hover = f"{names[0]}: %{{x:.3f}}<br>{names[1]}: %{{y:.3f}}"
    thinned = f", {len(shown):,} of {len(order):,} drawn" if len(shown) < len(order) else ""
    for col in range(1, panels + 1):
        first = col == 1
        if len(inside):
            # The ZOPA's efficient edge, closed down to the two no-deal lines.
            edge = utilities[inside]
            count = f"{int(zopa.count):,}" if zopa.exact else f"about {zopa.count:,.0f}"
            figure.add_trace(
                go.Scatter(
                    x=[no_deal[0], no_deal[0], *edge[:, 0], edge[-1, 0], no_deal[0]],
                    y=[no_deal[1], edge[0, 1], *edge[:, 1], no_deal[1], no_deal[1]],
                    fill="toself",
                    mode="lines",
                    line={"width": 0},
                    fillcolor="rgba(0,158,115,0.22)",
                    name=f"Zone of possible agreement ({count} packages, {percent(zopa.share)} of all)",
                    legendgroup="zopa",
                    showlegend=first,
                    hoverinfo="skip",
                ),
                row=1,
                col=col,
            )
        figure.add_shape(
            type="line", x0=no_deal[0], x1=no_deal[0], y0=0, y1=1, row=1, col=col,
            line={"color": PALETTE[0], "dash": "dash", "width": 1.2},
        )
        figure.add_shape(
            type="line", x0=0, x1=1, y0=no_deal[1], y1=no_deal[1], row=1, col=col,
            line={"color": PALETTE[1], "dash": "dash", "width": 1.2},
        )
        figure.add_trace(
            go.Scatter(
                x=utilities[shown, 0],
                y=utilities[shown, 1],
                mode="lines+markers",
                line={"color": FRONTIER_COLOUR, "width": 1.5},
                marker={"size": 5 if first else 7, "color": FRONTIER_COLOUR},
                name=f"Pareto frontier ({len(order):,} points{thinned})",
                legendgroup="frontier",
                showlegend=first,
                hovertemplate=hover + "<extra>Pareto frontier</extra>",
            ),
            row=1,
            col=col,
        )
        figure.add_trace(
            go.Scatter(
                x=[no_deal[0]],
                y=[no_deal[1]],
                mode="markers",
                marker={"symbol": "x", "size": 12, "color": NO_DEAL_COLOUR},
                name="No deal (dashed lines: each party's no-deal value)",
                legendgroup="no-deal",
                showlegend=first,
                hovertemplate="No deal<br>" + hover + "<extra></extra>",
            ),
            row=1,
            col=col,
        )
        for solution in analysis.solutions:
            symbol, size, colour = _marker_style(solution.name)
            figure.add_trace(
                go.Scatter(
                    x=[solution.utilities[0]],
                    y=[solution.utilities[1]],
                    mode="markers",
                    marker={"symbol": symbol, "size": size, "color": colour, "line": {"width": 2, "color": colour}},
                    name=solution.name,
                    legendgroup=solution.name,
                    showlegend=first,
                    hovertext=[_solution_hover(solution, names)],
                    hoverinfo="text",
                ),
                row=1,
                col=col,
            )
    axis = {"constrain": "domain"}
    figure.update_xaxes(title=f"Utility to {names[0]}", range=[-0.02, 1.02], row=1, col=1, **axis)
    figure.update_yaxes(title=f"Utility to {names[1]}", range=[-0.02, 1.02], scaleanchor="x", scaleratio=1, row=1, col=1, **axis)
    if panels == 2:
        edge = utilities[inside]
        low = np.minimum(no_deal, edge.min(axis=0))
        high = edge.max(axis=0)
        span = max(float((high - low).max()), 0.02)
        pad = 0.2 * span
        figure.update_xaxes(title=f"Utility to {names[0]}", range=[low[0] - pad, low[0] + span + pad], row=1, col=2, **axis)
        figure.update_yaxes(range=[low[1] - pad, low[1] + span + pad], scaleanchor="x2", scaleratio=1, row=1, col=2, **axis)
    else:
        figure.add_annotation(
            x=0.98, y=0.98, xref="paper", yref="paper", showarrow=False, xanchor="right",
            text="No zone of possible agreement: no package beats no deal for both parties",
        )
    figure.update_annotations(font={"size": 13})
    title = "Agreement space (utility 0 = a party's worst package, 1 = its ideal)"
    return _layout(figure, title=title, height=560)


def _agreement_pairs(analysis: "Analysis", max_points: int) -> go.Figure:
    names = tuple(label(name) for name in analysis.party_names)
    utilities = analysis.frontier.utilities
    no_deal = analysis.no_deal
    pairs = list(itertools.combinations(range(len(names)), 2))[:MAX_PAIRS]
    columns = min(3, len(pairs))
    rows = -(-len(pairs) // columns)
    figure = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=[f"{names[a]} and {names[b]}" for a, b in pairs],
        horizontal_spacing=0.08,
        vertical_spacing=0.12 if rows > 1 else 0.0,
    )
    shown = _thinned(np.arange(len(utilities)), max_points)
    inside = (utilities[shown] > no_deal).all(axis=1)
    thinned = f", {len(shown):,} of {len(utilities):,} drawn" if len(shown) < len(utilities) else ""
    for k, (a, b) in enumerate(pairs):
        row, col = divmod(k, columns)
        row, col = row + 1, col + 1
        first = k == 0
        hover = f"{names[a]}: %{{x:.3f}}<br>{names[b]}: %{{y:.3f}}"
        for mask, legend, colour in (
            (~inside, "Frontier packages outside the zone of possible agreement", FRONTIER_COLOUR),
            (inside, "Frontier packages in the zone of possible agreement", ZOPA_COLOUR),
        ):
            figure.add_trace(
                go.Scatter(
                    x=utilities[shown[mask], a],
                    y=utilities[shown[mask], b],
                    mode="markers",
                    marker={"size": 5, "color": colour, "opacity": 0.7},
                    name=legend,
                    legendgroup=legend,
                    showlegend=first,
                    hovertemplate=hover + "<extra></extra>",
                ),
                row=row,
                col=col,
            )
        figure.add_shape(type="line", x0=no_deal[a], x1=no_deal[a], y0=0, y1=1, line={"dash": "dash", "width": 1, "color": PALETTE[a % len(PALETTE)]}, row=row, col=col)
        figure.add_shape(type="line", x0=0, x1=1, y0=no_deal[b], y1=no_deal[b], line={"dash": "dash", "width": 1, "color": PALETTE[b % len(PALETTE)]}, row=row, col=col)
        figure.add_trace(
            go.Scatter(
                x=[no_deal[a]], y=[no_deal[b]], mode="markers",
                marker={"symbol": "x", "size": 11, "color": NO_DEAL_COLOUR},
                name="No deal", legendgroup="No deal", showlegend=first,
                hovertemplate="No deal<br>" + hover + "<extra></extra>",
            ),
            row=row,
            col=col,
        )
        for solution in analysis.solutions:
            symbol, size, colour = _marker_style(solution.name)
            figure.add_trace(
                go.Scatter(
                    x=[solution.utilities[a]], y=[solution.utilities[b]], mode="markers",
                    marker={"symbol": symbol, "size": size, "color": colour, "line": {"width": 2, "color": colour}},
                    name=solution.name, legendgroup=solution.name, showlegend=first,
                    hovertext=[_solution_hover(solution, names)], hoverinfo="text",
                ),
                row=row,
                col=col,
            )
        figure.update_xaxes(title=names[a], range=[-0.02, 1.02], row=row, col=col)
        figure.update_yaxes(title=names[b], range=[-0.02, 1.02], row=row, col=col)
    title = f"Agreement space, pair by pair: the Pareto frontier's {len(utilities):,} points{thinned} (utility 0 = worst, 1 = ideal)"
    if len(pairs) < len(names) * (len(names) - 1) // 2:
        title += f"; first {len(pairs)} pairs"
    return _layout(figure, title=title, height=120 + 360 * rows)


# ------------------------------------------------------------------- simulation
def rounds_to_agreement(simulation: "SimulationResult") -> go.Figure:
    """How many runs signed in each round (rounds counted from 1), with the mean marked."""
    histogram = simulation.rounds_histogram()
    timing = simulation.rounds_to_agreement()
    runs = simulation.runs
    rounds = np.arange(1, len(histogram) + 1)
    figure = go.Figure(
        go.Bar(
            x=rounds,
            y=histogram,
            marker={"color": BAR_COLOUR},
            name="runs that signed in this round",
            customdata=histogram / runs,
            hovertemplate="round %{x}: %{y:,} runs (%{customdata:.1%} of all)<extra></extra>",
        )
    )
    if timing["mean"] is not None:
        figure.add_vline(
            x=timing["mean"], line={"dash": "dash", "color": "#333333"},
            annotation={"text": f"mean {timing['mean']:.1f}", "xanchor": "right"},
        )
    no_deal = 1.0 - simulation.agreement_rate
    title = (
        f"Round of agreement in {runs:,} simulated negotiations<br><sup>no deal by the deadline in "
        f"{percent(no_deal)} of runs (a party walked away in {percent(simulation.walk_away_rate)})</sup>"
    )
    figure.update_xaxes(title=f"round (deadline {simulation.rounds_limit})", range=[0.5, simulation.rounds_limit + 0.5])
    figure.update_yaxes(title="runs")
    figure.update_layout(showlegend=False, bargap=0.1)
    return _layout(figure, title=title, height=400)


def agreed_terms(simulation: "SimulationResult") -> go.Figure:
    """Per issue, the share of signed packages that settled on each option.

    The option of the package signed most often is drawn darker.
    """
    shares = {label(issue): {label(option): share for option, share in options.items()} for issue, options in simulation.option_shares().items()}
    common = simulation.most_common_package()
    common_terms = {label(issue): label(option) for issue, option in common[0].items()} if common is not None else {}
    issues = list(shares)
    heights = [len(options) + 2.2 for options in shares.values()]
    figure = make_subplots(
        rows=len(issues),
        cols=1,
        subplot_titles=issues,
        row_heights=[h / sum(heights) for h in heights],
        vertical_spacing=min(0.04, 0.6 / max(1, len(issues))),
    )
    for row, issue in enumerate(issues, start=1):
        options = list(shares[issue])
        values = [shares[issue][option] for option in options]
        colours = [HIGHLIGHT_COLOUR if common_terms.get(issue) == option else BAR_COLOUR for option in options]
        figure.add_trace(
            go.Bar(
                x=values,
                y=options,
                orientation="h",
                marker={"color": colours},
                text=[f"{v:.0%}" if v >= 0.005 else "" for v in values],
                textposition="outside",
                cliponaxis=False,
                name=issue,
                hovertemplate="%{y}: %{x:.1%} of deals<extra></extra>",
            ),
            row=row,
            col=1,
        )
        figure.update_yaxes(autorange="reversed", row=row, col=1)
        figure.update_xaxes(range=[0, 1.12], tickformat=".0%", showticklabels=row == len(issues), row=row, col=1)
    deals = int(simulation.agreed.sum())
    figure.update_layout(showlegend=False)
    figure.update_annotations(font={"size": 13}, xanchor="left", x=0.0)
    height = int(110 + 21 * sum(len(options) for options in shares.values()) + 48 * len(issues))
    title = f"Agreed terms per issue<br><sup>share of the {deals:,} signed packages; darker: the package signed most often</sup>"
    return _layout(figure, title=title, height=height)


# --------------------------------------------------------------------- forecast
def positions_over_rounds(forecast: "ForecastResult") -> go.Figure:
    """Each actor's position per issue (dimension) after each round, with the model's forecast."""
    positions = forecast.trace.positions
    n_states, n_actors, n_dims = positions.shape
    actors = [label(name) for name in (forecast.actor_names or [f"actor {a}" for a in range(n_actors)])]
    dims = [label(name) for name in (forecast.dimension_names or [f"dimension {d}" for d in range(n_dims)])]
    figure = make_subplots(rows=n_dims, cols=1, subplot_titles=dims, shared_xaxes=True, vertical_spacing=min(0.08, 0.5 / n_dims))
    rounds = np.arange(n_states)
    for d in range(n_dims):
        for a, actor in enumerate(actors):
            figure.add_trace(
                go.Scatter(
                    x=rounds, y=positions[:, a, d], mode="lines", name=actor, legendgroup=actor, showlegend=d == 0,
                    line={"color": PALETTE[a % len(PALETTE)]},
                    hovertemplate=f"{actor}, round %{{x}}: %{{y:.3f}}<extra></extra>",
                ),
                row=d + 1,
                col=1,
            )
        figure.add_trace(
            go.Scatter(
                x=rounds, y=forecast.trace.forecast[:, d], mode="lines", name="forecast", legendgroup="forecast", showlegend=d == 0,
                line={"color": "#000000", "dash": "dash", "width": 2.5},
                hovertemplate="forecast, round %{x}: %{y:.3f}<extra></extra>",
            ),
            row=d + 1,
            col=1,
        )
    figure.update_xaxes(title="round", row=n_dims, col=1)
    return _layout(figure, title=f"Positions over rounds ({forecast.model} model)", height=140 + 220 * n_dims)


def issue_positions(forecast) -> go.Figure:
    """An issue forecast (:class:`truce.forecast.issues.IssueForecast`): each actor's position on each
    issue, round by round, on the issue's own scale (option names or units), with the model's forecast."""
    n_states, _, n_issues = forecast.positions.shape
    actors = [label(name) for name in forecast.actor_names]
    issues = [label(name) for name in forecast.issue_names]
    rows = -(-n_issues // 2)
    figure = make_subplots(rows=rows, cols=min(2, n_issues), subplot_titles=issues, horizontal_spacing=0.22, vertical_spacing=min(0.1, 0.5 / rows))
    rounds = np.arange(n_states)
    for j in range(n_issues):
        row, col = j // 2 + 1, j % 2 + 1
        for a, actor in enumerate(actors):
            figure.add_trace(
                go.Scatter(
                    x=rounds, y=forecast.to_issue_scale(forecast.positions[:, a, j], j), mode="lines", name=actor,
                    legendgroup=actor, showlegend=j == 0, line={"color": PALETTE[a % len(PALETTE)], "width": 1.6},
                    hovertemplate=f"{actor}, round %{{x}}: %{{y:.3g}}<extra></extra>",
                ),
                row=row,
                col=col,
            )
        figure.add_trace(
            go.Scatter(
                x=rounds, y=forecast.to_issue_scale(forecast.forecast[:, j], j), mode="lines", name="forecast", legendgroup="forecast",
                showlegend=j == 0, line={"color": "#000000", "dash": "dash", "width": 2.5},
                hovertemplate="forecast, round %{x}: %{y:.3g}<extra></extra>",
            ),
            row=row,
            col=col,
        )
        labels = forecast.labels[j]
        if labels is not None:
            figure.update_yaxes(
                tickvals=list(range(len(labels))), ticktext=[label(option) for option in labels], range=[-0.3, len(labels) - 0.7],
                tickfont={"size": 10}, row=row, col=col,
            )
        else:
            figure.update_yaxes(title={"text": label(forecast.units[j]), "font": {"size": 11}}, row=row, col=col)
    figure.update_xaxes(title={"text": "round", "font": {"size": 11}})
    figure.update_annotations(font={"size": 13})
    return _layout(figure, title=f"Positions over rounds ({forecast.model} model)", height=120 + 300 * rows)


# ------------------------------------------------------------------------ levers
def lever_ranking(levers: "LeverEffects") -> go.Figure:
    """Each lever's change in P(deal), largest first, with its 95% interval."""
    ranked = levers.ranked
    figure = go.Figure(
        go.Bar(
            x=[effect.change for effect in ranked],
            y=[label(effect.label) for effect in ranked],
            orientation="h",
            marker={"color": BAR_COLOUR},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [effect.high - effect.change for effect in ranked],
                "arrayminus": [effect.change - effect.low for effect in ranked],
                "color": "#333333",
            },
            hovertemplate="%{y}: %{x:+.1%}<extra></extra>",
        )
    )
    figure.update_yaxes(autorange="reversed", automargin=True)
    figure.update_xaxes(title=f"change in {levers.outcome} (baseline {percent(levers.baseline)})", tickformat="+.0%", zeroline=True)
    figure.update_layout(showlegend=False)
    title = f"Mediator levers, ranked by their effect<br><sup>change in {levers.outcome}; whiskers: 95% interval</sup>"
    return _layout(figure, title=title, height=180 + 40 * len(ranked))


MAX_BARS = 15
"""Tornado bars drawn; the narrower ones are counted in the title."""


def sensitivity_tornado(sensitivity: "Sensitivity", *, max_bars: int = MAX_BARS) -> go.Figure:
    """Each input's swing of the outcome between the low and high ends of its range, widest first;
    inputs that do not move it at all (e.g. the size of a lever not in force) are left out and counted."""
    moving = [bar for bar in sensitivity.ranked if bar.at_high != bar.at_low]
    ranked = moving[:max_bars]
    left_out = []
    if len(moving) > len(ranked):
        left_out.append(f"{len(moving) - len(ranked)} narrower bars not drawn")
    if len(sensitivity.bars) > len(moving):
        left_out.append(f"{len(sensitivity.bars) - len(moving)} inputs with no effect left out")
    labels = [label(bar.input) for bar in ranked]
    figure = go.Figure()
    for name, values, texts, colour in (
        ("input at its low end", [bar.at_low for bar in ranked], [label(bar.low_input) for bar in ranked], "#E69F00"),
        ("input at its high end", [bar.at_high for bar in ranked], [label(bar.high_input) for bar in ranked], "#0072B2"),
    ):
        figure.add_trace(
            go.Bar(
                x=[value - sensitivity.baseline for value in values],
                base=sensitivity.baseline,
                y=labels,
                orientation="h",
                name=name,
                marker={"color": colour},
                customdata=list(zip(texts, values)),
                hovertemplate="%{y} = %{customdata[0]}: " + sensitivity.outcome + " %{customdata[1]:.1%}<extra></extra>",
            )
        )
    figure.add_vline(x=sensitivity.baseline, line={"color": "#333333"})
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title=sensitivity.outcome, tickformat=".0%")
    figure.update_layout(barmode="overlay")
    title = f"Sensitivity of {sensitivity.outcome} to each input (tornado)"
    if left_out:
        title += f"<br><sup>{'; '.join(left_out)}</sup>"
    return _layout(figure, title=title, height=200 + 30 * len(ranked))


def survival_curve(durability: "Survival") -> go.Figure:
    """Share of signed ceasefires still holding after each day, with its 95% band."""
    figure = go.Figure()
    if durability.low is not None and durability.high is not None:
        figure.add_trace(
            go.Scatter(
                x=np.concatenate([durability.days, durability.days[::-1]]),
                y=np.concatenate([durability.high, durability.low[::-1]]),
                fill="toself", mode="lines", line={"width": 0, "shape": "hv"},
                fillcolor="rgba(0,114,178,0.18)", name="95% band", hoverinfo="skip",
            )
        )
    shape = "hv" if len(durability.days) <= 60 else "linear"  # a daily curve reads better smooth
    figure.add_trace(
        go.Scatter(
            x=durability.days, y=durability.survival, mode="lines", line={"shape": shape, "color": HIGHLIGHT_COLOUR, "width": 2.5},
            name="still holding", hovertemplate="day %{x:.0f}: %{y:.1%}<extra></extra>",
        )
    )
    holds, _, _ = durability.holds()
    figure.add_vline(
        x=durability.horizon, line={"dash": "dash", "color": "#333333"},
        annotation={"text": f"day {durability.horizon}: {percent(holds)}", "xanchor": "left"},
    )
    figure.update_xaxes(title="days after signature")
    figure.update_yaxes(title="share still holding", range=[0, 1.02], tickformat=".0%")
    return _layout(figure, title="Durability: how long a signed ceasefire holds", height=420)
