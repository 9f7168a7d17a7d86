"""The plot of a scenario discovery: the points on the two inputs the first box narrows most, coloured by
whether they are of interest, with every box drawn over them; for PRIM, the first box's peeling
trajectory (coverage against density) beside it, the chosen box marked."""

from __future__ import annotations

import numpy as np
import pandas as pd

from truce.sweep.discover import Discovery


def _axes(found: Discovery) -> list[str]:
    """The first box's inputs first, then the others: the two (or one) the plot shows."""
    first = [limit.input for limit in found.boxes[0].limits] if found.boxes else []
    ordered = first + [c for c in found.inputs if c not in first]
    return ordered[:2]


def _span(table: pd.DataFrame, box, column: str) -> tuple[float, float] | None:
    """The box's extent on ``column`` (the data's where it is free); None for an input of text."""
    data = pd.to_numeric(table[column], errors="coerce").astype(float)
    if data.isna().all():
        return None
    low, high = float(data.min()), float(data.max())
    for limit in box.limits:
        if limit.input == column and limit.values is None:
            low = limit.low if limit.low is not None else low
            high = limit.high if limit.high is not None else high
    pad = 0.01 * (float(data.max()) - float(data.min()) or 1.0)
    return low - pad, high + pad


def figure(found: Discovery, table: pd.DataFrame, interest: np.ndarray):
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    prim = found.trajectory is not None
    axes = _axes(found)
    fig = make_subplots(rows=1, cols=2 if prim else 1, column_widths=[0.62, 0.38] if prim else None,
                        subplot_titles=["points and boxes", "PRIM peeling trajectory (box 1)"] if prim else ["points and boxes"])
    x = table[axes[0]]
    y = table[axes[1]] if len(axes) > 1 else table[found.target]
    for chosen, name, colour in ((interest, found.rule, "#d62728"), (~interest, "other points", "#9aa5b1")):
        fig.add_trace(go.Scatter(x=x[chosen], y=y[chosen], mode="markers", name=name, marker=dict(color=colour, size=7)), row=1, col=1)
    for b, box in enumerate(found.boxes, start=1):
        across = _span(table, box, axes[0])
        up = _span(table, box, axes[1]) if len(axes) > 1 else (float(y.min()), float(y.max()))
        if across is None or up is None:
            continue
        (x0, x1), (y0, y1) = across, up
        fig.add_shape(type="rect", x0=x0, x1=x1, y0=y0, y1=y1, line=dict(color="#1f77b4", width=2), fillcolor="rgba(31,119,180,0.08)", row=1, col=1)
        fig.add_annotation(x=x0, y=y1, text=f"box {b}: coverage {box.coverage:.0%}, density {box.density:.0%}", showarrow=False,
                           xanchor="left", yanchor="bottom", font=dict(size=11, color="#1f77b4"), row=1, col=1)
    fig.update_xaxes(title_text=axes[0], row=1, col=1)
    fig.update_yaxes(title_text=axes[1] if len(axes) > 1 else found.target, row=1, col=1)
    if prim:
        track = found.trajectory
        fig.add_trace(go.Scatter(
            x=track["coverage"], y=track["density"], mode="markers+lines", name="peeling trajectory", marker=dict(color=track["res_dim"], colorscale="Viridis", size=7),
            customdata=track[["mass", "res_dim"]].to_numpy(), hovertemplate="coverage %{x:.0%}<br>density %{y:.0%}<br>mass %{customdata[0]:.0%}<br>inputs restricted %{customdata[1]}<extra></extra>",
        ), row=1, col=2)
        chosen = track[track["chosen"]]
        fig.add_trace(go.Scatter(x=chosen["coverage"], y=chosen["density"], mode="markers", name="chosen box", marker=dict(symbol="star", size=14, color="#d62728")), row=1, col=2)
        fig.update_xaxes(title_text="coverage", tickformat=".0%", row=1, col=2)
        fig.update_yaxes(title_text="density", tickformat=".0%", row=1, col=2)
    fig.update_layout(title=f"Where {found.rule}: {len(found.boxes)} box(es) by {found.method} over {found.points:,} points",
                      template="plotly_white", height=480)
    return fig
