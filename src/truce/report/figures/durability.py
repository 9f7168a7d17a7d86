"""The durability figure: the share of signed ceasefires still holding after each day."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from truce.report.figures.common import HIGHLIGHT_COLOUR, layout
from truce.report.readings import percent

if TYPE_CHECKING:
    from truce.report.inputs import Survival


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
    return layout(figure, title="Durability: how long a signed ceasefire holds", height=420)
