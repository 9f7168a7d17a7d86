"""A hand-worked two-phase scenario shared by the phase tests (simulation and validation)."""

from __future__ import annotations

import math

MEDIAN, SHAPE = 20.0, 0.8
"""Phase 1 (a bare pause, no provisions) breaks down on a Weibull with this median and shape (set in the scenario)."""


def survival(day: float, term: float = math.inf) -> float:
    """P(phase 1 has not broken down by ``day``): exp(-(d / scale) ** shape), scale = median / ln2 ** (1 / shape)."""
    scale = MEDIAN / math.log(2.0) ** (1.0 / SHAPE)
    return math.exp(-((min(day, term) / scale) ** SHAPE))


def two_phase(term_days=42, reservation_a=0.3, kind="ceasefire") -> dict:
    """Hand-worked: a pause both parties want (value 1 to each), then a final issue on which they are
    opposed (x: 1 to A, 0 to B; m: 0.5 to each; y: the reverse). Equal saliences; the final issue is
    worth 0.3 to each while deferred; no deal 0.3; no cost of delay, no breakdown risk.

    Phase 1 (pause, final deferred): 'yes' is worth 0.5 + 0.5 x 0.3 = 0.65 to each, the first offer is
    accepted: signed in round 1, day 1.
    Phase 2 (final; pause fixed at 'yes'; phase 1 has a term, so failing means no deal, 0.3): x, m, y
    are worth 1, 0.75, 0.5 to A. Linear concession with deadline T = min(rounds, term) rounds:
    target(t) = 0.3 + 0.7 (1 - t / (T - 1)) reaches 0.75 (the compromise m, which the proposer offers
    as the best for the other among what it accepts) first at t = ceil((T - 1)(1 - 0.45 / 0.7)):
    with T = 42, t = ceil(41 x 0.35714) = 15, so day 16 of phase 1.
    """
    data = {
        "name": "pause then final",
        "kind": kind,
        "rounds": 100,
        "durability": {"median_days": {"cessation": MEDIAN}, "shape": {"cessation": SHAPE}},
        "actors": [
            {"id": "a", "name": "A", "reservation": reservation_a, "stances": {
                "pause": {"position": "yes", "salience": 1}, "final": {"position": "x", "salience": 1, "deferred": 0.3}}},
            {"id": "b", "name": "B", "reservation": 0.3, "stances": {
                "pause": {"position": "yes", "salience": 1}, "final": {"position": "y", "salience": 1, "deferred": 0.3}}},
        ],
        "issues": [
            {"id": "pause", "name": "Pause", "kind": "ordered", "options": ["no", "yes"]},
            {"id": "final", "name": "Final", "kind": "ordered", "options": ["x", "m", "y"], "deferrable": True},
        ],
        "phases": [{"id": "pause", "issues": ["pause"], "term_days": term_days}, {"id": "final", "issues": ["final"]}],
    }
    if kind != "ceasefire":
        del data["durability"]
    return data
