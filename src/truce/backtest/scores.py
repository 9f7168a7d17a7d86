"""Scores of a forecast against what happened: pure functions of arrays.

- :func:`log_score`: the logarithmic score ln p of the probability given to
  what happened (Good 1952), a strictly proper scoring rule (Gneiting &
  Raftery 2007); a probability of zero is floored at ``floor`` so that one
  miss does not make the mean minus infinity (the floor is stated with
  every score).
- :func:`brier_score`: (p - y)^2 for a yes/no event (Brier 1950), proper
  as well; 0 is perfect, 0.25 is what p = 0.5 always scores.
- :func:`package_rank`: the rank of the real package among the packages a
  simulation produced, by how often each came out (1 = the most frequent;
  ties share the better rank).
- :func:`discrimination`: how well P(deal) tells the cases with a deal from
  those without: the area under the ROC curve, i.e. the probability that a
  case with a deal got a higher P(deal) than one without, ties counting 1/2
  (Hanley & McNeil 1982); 0.5 is no better than chance, 1 is perfect. The
  Brier score mixes this with calibration (Murphy 1973); this separates it.
- :func:`kaplan_meier`: the product-limit estimate of survival from
  durations with right-censoring (Kaplan & Meier 1958).
"""

from __future__ import annotations

import numpy as np

from truce.errors import InputError

DEFAULT_FLOOR = 1e-3
"""A probability below this counts as this in a log score (ln 0.001 = -6.91)."""


def log_score(probability, floor: float = DEFAULT_FLOOR) -> np.ndarray:
    """ln max(p, floor), elementwise; higher is better, 0 is a certain hit."""
    if not 0 < floor <= 1:
        raise InputError(f"floor must be in (0, 1]; got {floor}")
    return np.log(np.maximum(np.asarray(probability, dtype=float), floor))


def brier_score(probability, outcome) -> np.ndarray:
    """(p - y)^2, elementwise, for the probability p of an event and y = 1 if it happened, else 0."""
    return (np.asarray(probability, dtype=float) - np.asarray(outcome, dtype=float)) ** 2


def discrimination(probability, outcome) -> float | None:
    """P(p_i > p_k) + P(p_i = p_k) / 2 over every pair of a case i with the event and k without;
    None unless both kinds of case are present."""
    p = np.asarray(probability, dtype=float)
    y = np.asarray(outcome, dtype=bool)
    yes, no = p[y], p[~y]
    if not len(yes) or not len(no):
        return None
    difference = yes[:, None] - no[None, :]
    return float(((difference > 0) + 0.5 * (difference == 0)).mean())


def package_counts(packages: np.ndarray, real: np.ndarray) -> tuple[int, np.ndarray]:
    """How many rows of ``packages`` (N, n_issues) equal ``real``, and the count of every distinct row."""
    packages = np.asarray(packages)
    if not len(packages):
        return 0, np.zeros(0, dtype=np.int64)
    _, counts = np.unique(packages, axis=0, return_counts=True)
    hits = int(np.all(packages == np.asarray(real)[None, :], axis=1).sum())
    return hits, counts


def package_rank(packages: np.ndarray, real: np.ndarray) -> tuple[int | None, int]:
    """The real package's rank by frequency among the distinct ``packages`` (1 + how many came out
    strictly more often; None if it never came out), and how many distinct packages there are."""
    hits, counts = package_counts(packages, real)
    if hits == 0:
        return None, len(counts)
    return 1 + int((counts > hits).sum()), len(counts)


def kaplan_meier(durations, observed, times) -> np.ndarray:
    """S(t) at each of ``times`` from ``durations`` and whether each end was ``observed`` (False:
    right-censored): the product over event times t_i <= t of (1 - d_i / n_i), with n_i at risk
    just before t_i (censored at t_i still count as at risk). Flat after the last event, as
    ``lifelines`` reports it; :func:`at_risk` says how many cases still inform it."""
    durations = np.asarray(durations, dtype=float)
    observed = np.asarray(observed, dtype=bool)
    times = np.atleast_1d(np.asarray(times, dtype=float))
    event_times = np.unique(durations[observed])
    at_risk = (durations[None, :] >= event_times[:, None]).sum(axis=1)
    deaths = ((durations[None, :] == event_times[:, None]) & observed[None, :]).sum(axis=1)
    steps = np.cumprod(1.0 - deaths / np.maximum(at_risk, 1))
    index = np.searchsorted(event_times, times, side="right") - 1
    if not len(event_times):
        return np.ones(len(times))
    return np.where(index >= 0, steps[np.maximum(index, 0)], 1.0)


def at_risk(durations, times) -> np.ndarray:
    """How many cases were still followed (not ended, not censored) at each of ``times``."""
    durations = np.asarray(durations, dtype=float)
    return (durations[None, :] >= np.atleast_1d(np.asarray(times, dtype=float))[:, None]).sum(axis=1)


def known_at(durations, observed, checkpoint: float) -> tuple[np.ndarray, np.ndarray]:
    """Per case: whether its fate at ``checkpoint`` days is known (it broke down by then, or held
    past it) and, where known, whether it held past it."""
    durations = np.asarray(durations, dtype=float)
    observed = np.asarray(observed, dtype=bool)
    broke = observed & (durations <= checkpoint)
    held = durations > checkpoint
    return broke | held, held
