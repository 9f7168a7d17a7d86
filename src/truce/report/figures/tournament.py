"""The tournament's figure: each strategy's mean utility and agreement rate, with their 95% intervals."""

from __future__ import annotations

from typing import TYPE_CHECKING

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from truce.report.figures.common import BAR_COLOUR, CONFIG, HIGHLIGHT_COLOUR, label, layout

if TYPE_CHECKING:
    from truce.tournament.scores import TournamentResult


def tournament_figure(result: "TournamentResult") -> go.Figure:
    """Two panels side by side, strategies in ranking order (best at the top): mean utility and
    agreement rate, each a dot with its 95% interval as an error bar."""
    names = [label(entry.label) for entry in result.ranking][::-1]
    figure = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.06,
                           subplot_titles=("mean utility (95% t interval)", "agreement rate (95% Wilson interval)"))
    for column, (key, colour) in enumerate((("utility", HIGHLIGHT_COLOUR), ("agreement", BAR_COLOUR)), 1):
        figures = [entry.figures[key] for entry in result.ranking][::-1]
        means = [f.mean for f in figures]
        figure.add_trace(
            go.Scatter(
                x=means, y=names, mode="markers", marker={"color": colour, "size": 10}, name=key,
                error_x={"type": "data", "symmetric": False, "array": [f.high - f.mean for f in figures],
                         "arrayminus": [f.mean - f.low for f in figures], "color": colour},
                customdata=[[f.low, f.high, f.n] for f in figures],
                hovertemplate="%{y}: %{x:.3f} (%{customdata[0]:.3f} to %{customdata[1]:.3f}; %{customdata[2]:,} seats)<extra></extra>",
            ),
            row=1, col=column,
        )
    figure.update_xaxes(range=[0, 1.02], row=1, col=2)
    figure.update_layout(showlegend=False)
    title = (f"{label(result.name)}: {len(result.labels)} strategies, {len(result.scenarios)} scenario(s), "
             f"{result.negotiations:,} negotiations<br><sup>seed {result.seed}; ranked by mean utility</sup>")
    return layout(figure, title=title, height=max(320, 120 + 40 * len(names)))


def tournament_html(result: "TournamentResult") -> str:
    """The figure as one self-contained HTML page (Plotly embedded: it works offline)."""
    return tournament_figure(result).to_html(include_plotlyjs=True, full_html=True, config=CONFIG)
