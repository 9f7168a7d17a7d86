"""Static compromise forecasts: the weighted mean and the weighted median.

Both are the classic one-shot forecasts of spatial bargaining, computed one
dimension at a time, with each actor's position weighted by
``capability * salience``:

- the weighted mean is the "compromise model" of the EU decision-making
  literature (C. H. Achen, "Evaluating political decision-making models",
  in R. Thomson et al. (eds.), *The European Union Decides*, Cambridge
  University Press, 2006) and the forecast Scholz, Calbert & Smith (2011)
  report after each round of Bueno de Mesquita's expected-utility model;
- the weighted median is the median-voter position (D. Black, "On the
  Rationale of Group Decision-making", *Journal of Political Economy*
  56(1), 1948, 23-34): the point that no coalition holding more than half
  of the weighted votes prefers to move.

This module also holds :func:`validate_spatial_inputs`, the input checks
shared by every engine in :mod:`truce.forecast`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["validate_spatial_inputs", "weighted_mean", "weighted_median"]

# Relative tolerance under which a cumulative weight counts as exactly half
# of the total, so that weights such as 0.1 + 0.2 against 0.3 still split.
_HALF_TOLERANCE = 1e-12


def validate_spatial_inputs(
    capability: ArrayLike,
    positions: ArrayLike,
    salience: ArrayLike,
    *,
    position_range: tuple[float, float] | None = None,
    positive_capability: bool = False,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Check and convert the three arrays every forecasting model takes.

    Parameters
    ----------
    capability:
        shape ``(n_actors,)``, finite and non-negative (strictly positive
        when ``positive_capability``).
    positions:
        shape ``(n_actors, n_dims)``; a 1-D array is read as one dimension.
        Finite; inside ``position_range`` when one is given.
    salience:
        same shape as ``positions``, each entry in [0, 1].
    position_range:
        closed interval the positions must lie in, or None for any real.
    positive_capability:
        require every capability to be > 0 (KTAB rejects a voting weight
        of zero or less).

    Returns
    -------
    capability, positions, salience as float arrays, the last two 2-D.

    Raises
    ------
    ValueError
        naming the argument, the offending actor (and dimension) and what
        is expected.
    """
    capability = np.asarray(capability, dtype=float)
    positions = np.asarray(positions, dtype=float)
    salience = np.asarray(salience, dtype=float)
    if capability.ndim != 1:
        raise ValueError(
            f"capability must be a 1-D array of shape (n_actors,), got shape {capability.shape}"
        )
    n_actors = capability.shape[0]
    if n_actors == 0:
        raise ValueError("at least one actor is needed, got capability of length 0")
    if positions.ndim == 1:
        positions = positions[:, None]
    if salience.ndim == 1:
        salience = salience[:, None]
    if positions.ndim != 2 or positions.shape[0] != n_actors:
        raise ValueError(
            f"positions must have shape (n_actors, n_dims) = ({n_actors}, n_dims), "
            f"got shape {positions.shape}"
        )
    if positions.shape[1] == 0:
        raise ValueError("positions must have at least one dimension, got 0 columns")
    if salience.shape != positions.shape:
        raise ValueError(
            f"salience must have the same shape as positions {positions.shape}, "
            f"got shape {salience.shape}"
        )
    _require_finite("capability", capability)
    _require_finite("positions", positions)
    _require_finite("salience", salience)
    if positive_capability:
        bad = np.flatnonzero(capability <= 0)
        if bad.size:
            raise ValueError(
                f"capability of actor {bad[0]} is {float(capability[bad[0]])!r}; "
                "it must be greater than 0"
            )
    else:
        bad = np.flatnonzero(capability < 0)
        if bad.size:
            raise ValueError(
                f"capability of actor {bad[0]} is {float(capability[bad[0]])!r}; "
                "it must be 0 or more"
            )
    outside = np.argwhere((salience < 0) | (salience > 1))
    if outside.size:
        actor, dim = outside[0]
        raise ValueError(
            f"salience of actor {actor} on dimension {dim} is {float(salience[actor, dim])!r}; "
            "it must lie in [0, 1]"
        )
    if position_range is not None:
        low, high = position_range
        outside = np.argwhere((positions < low) | (positions > high))
        if outside.size:
            actor, dim = outside[0]
            raise ValueError(
                f"position of actor {actor} on dimension {dim} is "
                f"{float(positions[actor, dim])!r}; "
                f"it must lie in [{low}, {high}]"
            )
    return capability, positions, salience


def _require_finite(name: str, values: NDArray[np.float64]) -> None:
    bad = np.argwhere(~np.isfinite(values))
    if bad.size:
        where = ", ".join(str(int(index)) for index in bad[0])
        raise ValueError(
            f"{name} must be finite, got {float(values[tuple(bad[0])])!r} at index ({where})"
        )


def _dimension_weights(
    capability: NDArray[np.float64], salience: NDArray[np.float64]
) -> NDArray[np.float64]:
    weights = capability[:, None] * salience
    empty = np.flatnonzero(weights.sum(axis=0) <= 0)
    if empty.size:
        raise ValueError(
            f"dimension {empty[0]} has zero total weight (capability x salience); "
            "at least one actor needs a positive capability and salience on it"
        )
    return weights


def weighted_mean(
    positions: ArrayLike, capability: ArrayLike, salience: ArrayLike
) -> NDArray[np.float64]:
    """Weighted mean position per dimension.

    mu_d = sum_k w_kd x_kd / sum_k w_kd,  with w_kd = capability_k * salience_kd

    (Achen 2006's compromise model; the forecast Scholz, Calbert & Smith
    2011 report after each round of the expected-utility model.)

    Parameters
    ----------
    positions: shape (n_actors, n_dims), or (n_actors,) for one dimension.
    capability: shape (n_actors,), non-negative.
    salience: shape of positions, in [0, 1].

    Returns
    -------
    array of shape (n_dims,).

    Example
    -------
    Two actors at 0 and 10 with weights 1 and 3 give 7.5:

    >>> weighted_mean([[0.0], [10.0]], [1.0, 1.0], [[0.25], [0.75]])
    array([7.5])
    """
    capability, positions, salience = validate_spatial_inputs(capability, positions, salience)
    weights = _dimension_weights(capability, salience)
    return (weights * positions).sum(axis=0) / weights.sum(axis=0)


def weighted_median(
    positions: ArrayLike, capability: ArrayLike, salience: ArrayLike
) -> NDArray[np.float64]:
    """Weighted median position per dimension (the weighted median voter).

    With weights w_k = capability_k * salience_kd and total W, the median
    is a point m with sum_{x_k < m} w_k <= W/2 and sum_{x_k > m} w_k <= W/2:
    any move away from m is opposed by at least half of the weighted votes,
    so no coalition of more than half would move it (Black 1948).

    Steps, per dimension: sort the positions; accumulate the weights; the
    lower median is the first position whose cumulative weight reaches W/2.

    Ties: when the cumulative weight equals W/2 exactly (relative tolerance
    1e-12) at the lower median, every point between it and the next
    position carrying weight is a median; the midpoint of the two is
    returned. This keeps the result independent of actor order and
    symmetric under reflection of the scale. Actors with zero weight never
    affect the result.

    Parameters and return as :func:`weighted_mean`.

    Examples
    --------
    Weights 1, 1, 3 at 0, 5, 10: the actor at 10 holds more than half.

    >>> weighted_median([[0.0], [5.0], [10.0]], [1.0, 1.0, 3.0], [[1.0], [1.0], [1.0]])
    array([10.])

    Weights split exactly in half between 2 and 6: the midpoint.

    >>> weighted_median([[2.0], [6.0]], [1.0, 1.0], [[0.5], [0.5]])
    array([4.])
    """
    capability, positions, salience = validate_spatial_inputs(capability, positions, salience)
    weights = _dimension_weights(capability, salience)
    n_dims = positions.shape[1]
    median = np.empty(n_dims)
    for dim in range(n_dims):
        order = np.argsort(positions[:, dim], kind="stable")
        sorted_positions = positions[order, dim]
        cumulative = np.cumsum(weights[order, dim])
        half = cumulative[-1] / 2.0
        tolerance = _HALF_TOLERANCE * cumulative[-1]
        lower = int(np.argmax(cumulative >= half - tolerance))
        if abs(cumulative[lower] - half) <= tolerance:
            upper = int(np.argmax(cumulative > half + tolerance))
            median[dim] = (sorted_positions[lower] + sorted_positions[upper]) / 2.0
        else:
            median[dim] = sorted_positions[lower]
    return median
