"""Agreement-space analysis: Pareto frontier, solution concepts, ZOPA.

Pure functions over the compiled arrays; :class:`truce.Problem` exposes
them as thin methods.
"""

from truce.analysis.pareto import nondominated, pareto_frontier
from truce.analysis.results import Analysis, ParetoFrontier, Solution, Zopa
from truce.analysis.solutions import (
    egalitarian_index,
    kalai_smorodinsky_index,
    nash_index,
    utilitarian_index,
)
from truce.analysis.zopa import count_acceptable

__all__ = [
    "Analysis",
    "ParetoFrontier",
    "Solution",
    "Zopa",
    "count_acceptable",
    "egalitarian_index",
    "kalai_smorodinsky_index",
    "nash_index",
    "nondominated",
    "pareto_frontier",
    "utilitarian_index",
]
