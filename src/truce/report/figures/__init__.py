"""Plotly figures of result objects, shared by the HTML report and the web page.

Each builder takes one result object (an engine's, or a shape from
:mod:`truce.report.inputs`) and formats it: it reads the arrays and named
figures the engine produced and never runs an engine or recomputes a
figure. The only arithmetic here is for display (sorting, thinning a very
large frontier to a drawable number of points, percentages).

Colours follow the Okabe-Ito palette (distinguishable with common colour
vision deficiencies); parties get colours in file order, with no meaning
attached to any colour.

One module per group of figures: :mod:`~truce.report.figures.agreement`,
:mod:`~truce.report.figures.simulation`, :mod:`~truce.report.figures.forecast`,
:mod:`~truce.report.figures.mediation` and :mod:`~truce.report.figures.durability`;
:mod:`~truce.report.figures.common` holds the palette, the layout and
:func:`to_json`.
"""

from truce.report.figures.agreement import MAX_PAIRS, MAX_POINTS, agreement_space
from truce.report.figures.common import (
    BAR_COLOUR,
    CONFIG,
    FONT,
    FRONTIER_COLOUR,
    HIGHLIGHT_COLOUR,
    NO_DEAL_COLOUR,
    PALETTE,
    SOLUTION_MARKERS,
    ZOPA_COLOUR,
    label,
    to_json,
)
from truce.report.figures.durability import survival_curve
from truce.report.figures.forecast import issue_positions, positions_over_rounds
from truce.report.figures.mediation import MAX_BARS, lever_ranking, sensitivity_tornado
from truce.report.figures.simulation import agreed_terms, rounds_to_agreement

__all__ = [
    "BAR_COLOUR", "CONFIG", "FONT", "FRONTIER_COLOUR", "HIGHLIGHT_COLOUR", "MAX_BARS", "MAX_PAIRS", "MAX_POINTS",
    "NO_DEAL_COLOUR", "PALETTE", "SOLUTION_MARKERS", "ZOPA_COLOUR",
    "agreed_terms", "agreement_space", "issue_positions", "label", "lever_ranking", "positions_over_rounds",
    "rounds_to_agreement", "sensitivity_tornado", "survival_curve", "to_json",
]
