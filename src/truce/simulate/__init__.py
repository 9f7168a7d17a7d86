"""Negotiation protocols and strategies, batched over Monte Carlo runs.

Pure functions over arrays; :meth:`truce.Problem.simulate` is the thin entry point.
"""

from truce.simulate.alternating import alternating_offers
from truce.simulate.montecarlo import candidate_pool, simulate
from truce.simulate.phases import simulate_phases
from truce.simulate.phase_results import PhasedResult
from truce.simulate.results import SimulationResult
from truce.simulate.single_text import single_text
from truce.simulate.strategies import REGISTRY, Strategy, make, subgame_perfect_plan

__all__ = [
    "PhasedResult",
    "REGISTRY",
    "SimulationResult",
    "Strategy",
    "alternating_offers",
    "candidate_pool",
    "make",
    "simulate",
    "simulate_phases",
    "single_text",
    "subgame_perfect_plan",
]
