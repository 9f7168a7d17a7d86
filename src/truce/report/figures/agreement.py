"""The agreement space: the Pareto frontier, the solution concepts, the no-deal point and the ZOPA."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from truce.analysis.solutions import acceptable
from truce.report.figures.common import FRONTIER_COLOUR, NO_DEAL_COLOUR, PALETTE, SOLUTION_MARKERS, ZOPA_COLOUR, label, layout
from truce.report.readings import percent

if TYPE_CHECKING:
    from truce.analysis.results import Analysis

MAX_POINTS = 4000
"""Frontiers larger than this are thinned, evenly, for drawing (the caption says so)."""
MAX_PAIRS = 15
"""Pairwise panels drawn for three or more parties (the first parties' pairs beyond that are left out)."""


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
    # the analysis's own test (a gain above its tolerance), so the shaded zone is the ZOPA it counts
    inside = _thinned(order[acceptable(utilities[order], no_deal)], max_points)
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
    return layout(figure, title=title, height=560)


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
    inside = acceptable(utilities[shown], no_deal)
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
    return layout(figure, title=title, height=120 + 360 * rows)
