"""What every figure shares: the palette, the fonts and layout, escaping of user text, and JSON."""

from __future__ import annotations

import base64
import json
from functools import cache
from html import escape
from typing import Any

import plotly.graph_objects as go

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
CONFIG = {"displaylogo": False, "responsive": True}
"""Plotly's browser options for every figure (no link to an online service)."""
TRACE_TYPES = ("bar", "scatter")
"""The trace types truce draws (the report's Plotly bundle is the basic one: scatter and bar)."""
CARTESIAN_LAYOUT = (
    "annotationdefaults", "autotypenumbers", "colorway", "font", "hoverlabel", "hovermode",
    "paper_bgcolor", "plot_bgcolor", "shapedefaults", "title", "xaxis", "yaxis",
)  # fmt: skip
"""The keys of a template's layout that reach a figure of x-y panels (not 3-D scenes, maps, polar or ternary axes)."""


@cache
def white_template() -> go.layout.Template:
    """Plotly's "plotly_white" template cut to what a figure of bars and lines on x-y axes reads: the same look,
    about 1 KB of each figure's JSON instead of 7, and assigned in a tenth of the time (Plotly validates a template
    given by name, deep-copied, on every figure; one Template object is validated once)."""
    import plotly.io as pio

    white = pio.templates["plotly_white"]
    layout_part, data_part = white.layout.to_plotly_json(), white.data.to_plotly_json()
    return go.layout.Template(
        layout={key: layout_part[key] for key in CARTESIAN_LAYOUT if key in layout_part},
        data={kind: data_part[kind] for kind in TRACE_TYPES if kind in data_part},
    )


def layout(figure: go.Figure, *, title: str, height: int) -> go.Figure:
    """The report's look: title at the left, white template, system fonts, legend under the x axis."""
    figure.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 16}},
        template=white_template(),
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 60, "r": 20, "t": 70, "b": 50},
        # Just below the x axis title, whatever the figure's height.
        legend={"orientation": "h", "yanchor": "top", "y": -min(0.12, 75 / height), "x": 0.0},
        hoverlabel={"namelength": -1},
    )
    return figure


def legend_on_top(figure: go.Figure) -> go.Figure:
    """A figure of several panels: one shared legend above the first row, under the chart's title (the
    legend's own title, so that however many lines its entries take on a narrow screen, Plotly makes
    room for both), instead of under the last panel where a reader of the first panels cannot see it."""
    height, margin = figure.layout.height, figure.layout.margin
    plot_height = height - (margin.t or 0) - (margin.b or 0)
    title = figure.layout.title.text
    figure.update_layout(
        title={"text": ""},
        # 30 px above the plotting area: clear of the first row's panel titles
        legend={"title": {"text": title, "side": "top", "font": {"size": 16}}, "orientation": "h", "yanchor": "bottom",
                "y": 1 + 30 / plot_height, "x": 0, "xanchor": "left"},
        margin={"t": 40},
    )
    return figure


def label(text: object) -> str:
    """User text (names, options) for a figure: Plotly reads text as HTML-like markup, so escape it."""
    return escape(str(text), quote=False)


def to_json(figure: go.Figure) -> dict[str, Any]:
    """A figure as a JSON-safe dict ``{"data": [...], "layout": {...}}`` for ``Plotly.newPlot``: strict JSON,
    with every number that is not finite as null. Plotly writes NaN in a list as null already, but a numpy
    array goes out as a typed array (``{"dtype": "f8", "bdata": BASE64}``) whose bytes may hold NaN or
    infinity; such an array is written as a list with nulls instead (issue 18)."""
    return _finite_arrays(json.loads(figure.to_json()))


def _finite_arrays(node: Any) -> Any:
    if isinstance(node, dict):
        if "bdata" in node and str(node.get("dtype", "")).startswith("f"):
            import numpy as np

            values = np.frombuffer(base64.b64decode(node["bdata"]), dtype=np.dtype(node["dtype"]))
            if np.isfinite(values).all():
                return node
            if "shape" in node:
                values = values.reshape([int(size) for size in str(node["shape"]).split(",")])
            return np.where(np.isfinite(values), values, None).tolist()
        return {key: _finite_arrays(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_finite_arrays(value) for value in node]
    return node
