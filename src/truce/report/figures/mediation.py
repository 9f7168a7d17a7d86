"""The mediation figures: the levers' ranking and the sensitivity tornado."""

from __future__ import annotations

from typing import TYPE_CHECKING

import plotly.graph_objects as go

from truce.report.figures.common import BAR_COLOUR, label, layout
from truce.report.readings import percent

if TYPE_CHECKING:
    from truce.report.inputs import LeverEffects, Sensitivity


def lever_ranking(levers: "LeverEffects") -> go.Figure:
    """Each lever's change in P(deal), largest first, with its 95% interval, in percentage points (pp):
    a difference of two probabilities, not a percentage of the baseline."""
    ranked = levers.ranked
    figure = go.Figure(
        go.Bar(
            x=[effect.change * 100 for effect in ranked],
            y=[label(effect.label) for effect in ranked],
            orientation="h",
            marker={"color": BAR_COLOUR},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [(effect.high - effect.change) * 100 for effect in ranked],
                "arrayminus": [(effect.change - effect.low) * 100 for effect in ranked],
                "color": "#333333",
            },
            hovertemplate="%{y}: %{x:+.1f} pp<extra></extra>",
        )
    )
    figure.update_yaxes(autorange="reversed", automargin=True)
    figure.update_xaxes(
        title=f"change in {levers.outcome}, percentage points (baseline {percent(levers.baseline)})", tickformat="+.0f", ticksuffix=" pp", zeroline=True
    )
    figure.update_layout(showlegend=False)
    title = f"Mediator levers, ranked by their effect<br><sup>change in {levers.outcome} in percentage points (pp); whiskers: 95% interval</sup>"
    return layout(figure, title=title, height=180 + 40 * len(ranked))


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
    return layout(figure, title=title, height=200 + 30 * len(ranked))
