"""The forecast's figures: each actor's position over rounds, with the model's forecast."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from truce.report.figures.common import PALETTE, label, layout, legend_on_top

if TYPE_CHECKING:
    from truce.forecast.results import ForecastResult


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
    return legend_on_top(layout(figure, title=f"Positions over rounds ({forecast.model} model)", height=140 + 220 * n_dims))


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
    return legend_on_top(layout(figure, title=f"Positions over rounds ({forecast.model} model)", height=120 + 300 * rows))
