"""The simulation's figures: the round of agreement and the agreed terms per issue."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from truce.report.figures.common import BAR_COLOUR, HIGHLIGHT_COLOUR, label, layout
from truce.report.readings import percent

if TYPE_CHECKING:
    from truce.simulate.results import SimulationResult


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
    return layout(figure, title=title, height=400)


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
    return layout(figure, title=title, height=height)
