"""Bargaining solution concepts on a discrete agreement space.

Each function takes the utilities of the Pareto frontier (F x n_parties)
and the parties' reservation values (no-deal utilities), and returns the
index of the chosen frontier point, or None when no point gives every
party more than no deal. Restricting to the frontier loses nothing: for
each concept, a package that dominates an optimal package is itself
optimal, so some optimum lies on the frontier.

Ties (within 1e-12) are broken by the larger sum of utilities, then by
the larger smallest gain over no deal (the more balanced package), and only
then by frontier order, so that results are deterministic and no party's
place in the file decides a tie that balance can decide.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from truce.analysis.results import ParetoFrontier, Solution

GAIN_TOLERANCE = 1e-9
"""A party prefers a package to no deal when its gain exceeds this."""


def acceptable(utilities: np.ndarray, reservation: np.ndarray) -> np.ndarray:
    """Rows every party strictly prefers to no deal (individually rational)."""
    return (utilities - reservation > GAIN_TOLERANCE).all(axis=1)


def tied_with(score: np.ndarray, eligible: np.ndarray, index: int) -> np.ndarray:
    """Frontier indices (in frontier order) of the other acceptable points whose score equals the
    chosen one's within 1e-12: the concept cannot tell them apart, only the tie-break did (issue 17)."""
    same = eligible & (score >= score[index] - 1e-12)
    same[index] = False
    return np.flatnonzero(same)


def nash_score(utilities: np.ndarray, reservation: np.ndarray, power: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(score, eligible) of :func:`nash_index`."""
    eligible = acceptable(utilities, reservation)
    gains = np.maximum(utilities - reservation, GAIN_TOLERANCE)
    weights = np.ones(utilities.shape[1]) if power is None else np.asarray(power, dtype=float) / np.sum(power)
    return np.log(gains) @ weights, eligible


def kalai_smorodinsky_score(utilities: np.ndarray, reservation: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(score, eligible) of :func:`kalai_smorodinsky_index`."""
    eligible = acceptable(utilities, reservation)
    if not eligible.any():
        return np.full(len(utilities), -np.inf), eligible
    ideal = utilities[eligible].max(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = (utilities - reservation) / (ideal - reservation)
    return share.min(axis=1), eligible


def egalitarian_score(utilities: np.ndarray, reservation: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(score, eligible) of :func:`egalitarian_index`."""
    return (utilities - reservation).min(axis=1), acceptable(utilities, reservation)


def utilitarian_score(utilities: np.ndarray, reservation: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(score, eligible) of :func:`utilitarian_index`."""
    return utilities.sum(axis=1), acceptable(utilities, reservation)


def best(score: np.ndarray, eligible: np.ndarray, utilities: np.ndarray, reservation: np.ndarray) -> int | None:
    """The index a concept of this score chooses, ties broken as the module says."""
    return _best(score, utilities, reservation, eligible)


def _best(score: np.ndarray, utilities: np.ndarray, reservation: np.ndarray, eligible: np.ndarray) -> int | None:
    if not eligible.any():
        return None
    score = np.where(eligible, score, -np.inf)
    tied = score >= score.max() - 1e-12
    total = np.where(tied, utilities.sum(axis=1), -np.inf)
    tied &= total >= total.max() - 1e-12
    balance = np.where(tied, (utilities - reservation).min(axis=1), -np.inf)
    return int(np.argmax(balance))


def nash_index(utilities: np.ndarray, reservation: np.ndarray, power: np.ndarray | None = None) -> int | None:
    """Nash (1950): maximise the product of gains ``prod_p (u_p - r_p)``; with
    bargaining powers ``w_p``, the asymmetric (weighted) solution
    ``prod_p (u_p - r_p)^(w_p / sum w)`` (Kalai 1977b; Binmore, Rubinstein &
    Wolinsky 1986, where unequal powers come from unequal breakdown beliefs
    or patience).

    Computed as the (weighted) sum of log gains, which has the same maximiser
    and does not underflow with many parties. On the frontier
    ``u_1 + u_2 = 1`` the weighted solution gives party p
    ``r_p + w_p / (w_1 + w_2) (1 - r_1 - r_2)``.
    """
    return best(*nash_score(utilities, reservation, power), utilities, reservation)


def kalai_smorodinsky_index(utilities: np.ndarray, reservation: np.ndarray) -> int | None:
    """Kalai & Smorodinsky (1975): equal shares of each party's ideal gain.

    The ideal point is each party's best utility among acceptable packages;
    on a discrete space the solution maximises ``min_p (u_p - r_p) / (ideal_p - r_p)``.
    """
    return best(*kalai_smorodinsky_score(utilities, reservation), utilities, reservation)


def egalitarian_index(utilities: np.ndarray, reservation: np.ndarray) -> int | None:
    """Kalai (1977): maximise the smallest gain ``min_p (u_p - r_p)``."""
    return best(*egalitarian_score(utilities, reservation), utilities, reservation)


def utilitarian_index(utilities: np.ndarray, reservation: np.ndarray) -> int | None:
    """Maximise the sum of utilities among packages every party accepts."""
    return best(*utilitarian_score(utilities, reservation), utilities, reservation)


def on_frontier(
    name: str,
    concept: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
    frontier: ParetoFrontier,
    reservation: np.ndarray,
    terms: Callable[[np.ndarray], dict[str, str]],
) -> Solution | None:
    """The frontier package a solution concept chooses, with the packages tied with it; None without a
    ZOPA. ``concept``: (utilities, reservation) -> (score, eligible), as :func:`nash_score`;
    ``terms``: a package as issue name -> option label."""
    score, eligible = concept(frontier.utilities, reservation)
    index = best(score, eligible, frontier.utilities, reservation)
    if index is None:
        return None
    package, utilities = frontier.packages[index], frontier.utilities[index]
    return Solution(
        name=name,
        package=package,
        terms=terms(package),
        utilities=utilities,
        gains=utilities - reservation,
        party_ids=frontier.party_ids,
        tied=tuple(terms(frontier.packages[j]) for j in tied_with(score, eligible, index)),
        same_utilities=None if frontier.multiplicity is None else int(frontier.multiplicity[index]),
    )
