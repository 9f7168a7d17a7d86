"""Result objects of the forecasting engines.

Plain frozen dataclasses holding numpy arrays, with ``to_dict()`` (JSON-safe:
lists, floats, None for missing values) and ``to_frame()`` (pandas, long
format). Front ends format these; they never recompute.

Round numbering: state 0 is the input; round t maps state t-1 to state t.
A trace of a run of T rounds therefore holds T + 1 states.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

__all__ = ["ForecastResult", "ForecastTrace", "Move"]


@dataclass(frozen=True)
class Move:
    """One recorded move of a round.

    kind:
        - ``"challenge"`` (SMP): ``actor`` challenges ``counterpart``;
          ``probability`` is the actor's estimate that it wins, ``gain`` its
          expected gain, ``position`` the bargain offered to the actor.
        - ``"accept"`` (SMP): ``actor``'s queue elects the bargain between
          it and ``counterpart``; ``position`` is where the actor moves,
          ``probability`` the winning queue entry's PCE probability.
        - ``"confrontation"`` (expected utility): ``actor`` loses to
          ``counterpart`` and moves to its position.
        - ``"compromise"`` (expected utility): ``actor`` compromises with
          ``counterpart`` and moves part of the way to it.
        For both expected-utility kinds ``gain`` is the actor's expected
        utility of challenging the counterpart (e1), ``counterpart_gain``
        the actor's estimate of the counterpart's expected utility of
        challenging it (e2), and ``probability`` P(x_j, x_i), the
        probability that the counterpart's position beats the actor's.
    round: the round t (>= 1) in which the move takes effect.
    dimension: the dimension the move is on, or None for all dimensions
        (then ``position`` has one entry per dimension).
    """

    round: int
    kind: str
    actor: int
    counterpart: int
    position: tuple[float, ...]
    dimension: int | None = None
    probability: float | None = None
    gain: float | None = None
    counterpart_gain: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": int(self.round),
            "kind": self.kind,
            "actor": int(self.actor),
            "counterpart": int(self.counterpart),
            "position": [float(value) for value in self.position],
            "dimension": None if self.dimension is None else int(self.dimension),
            "probability": _json_float(self.probability),
            "gain": _json_float(self.gain),
            "counterpart_gain": _json_float(self.counterpart_gain),
        }


@dataclass(frozen=True)
class ForecastTrace:
    """Round-by-round record of a run.

    positions: (n_rounds + 1, n_actors, n_dims), the state after each round.
    forecast: (n_rounds + 1, n_dims), the model's forecast of each state.
    win_probabilities: (n_rounds + 1, n_actors), each actor's position's
        probability of winning, where the model has one (SMP), else None.
    risk_attitudes: the risk measure assessed on each state, or None:
        SMP, shape (n_rounds + 1, n_actors): KTAB's R in [-1, 1];
        expected utility, shape (n_rounds + 1, n_actors, n_dims): the risk
        exponent r in [0.5, 2] that the next round would use.
    stop_ratios: (n_rounds,), SMP's stopping ratio after each round, or None.
    """

    positions: NDArray[np.float64]
    forecast: NDArray[np.float64]
    win_probabilities: NDArray[np.float64] | None = None
    risk_attitudes: NDArray[np.float64] | None = None
    stop_ratios: NDArray[np.float64] | None = None

    @property
    def n_rounds(self) -> int:
        return self.positions.shape[0] - 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "positions": _json_array(self.positions),
            "forecast": _json_array(self.forecast),
            "win_probabilities": _json_array(self.win_probabilities),
            "risk_attitudes": _json_array(self.risk_attitudes),
            "stop_ratios": _json_array(self.stop_ratios),
        }


@dataclass(frozen=True)
class ForecastResult:
    """What a forecasting engine returns.

    model: the model's name (``"smp"``, ``"expected_utility"``).
    parameters: the model's parameters as JSON-safe values.
    trace: the round-by-round record.
    moves: every recorded move, in round order.
    converged: True when the model's stopping rule ended the run (always
        False for a fixed number of rounds).
    notes: anything the run did outside the published model (e.g. a
        guard against a division by zero), one sentence each.
    actor_names, dimension_names: optional labels used by ``to_frame``;
        attach them with ``dataclasses.replace``.
    """

    model: str
    parameters: dict[str, Any]
    trace: ForecastTrace
    moves: tuple[Move, ...] = ()
    converged: bool = False
    notes: tuple[str, ...] = ()
    actor_names: tuple[str, ...] | None = None
    dimension_names: tuple[str, ...] | None = None

    @property
    def n_rounds(self) -> int:
        return self.trace.n_rounds

    @property
    def final_positions(self) -> NDArray[np.float64]:
        """Positions after the last round, shape (n_actors, n_dims)."""
        return self.trace.positions[-1]

    @property
    def forecast(self) -> NDArray[np.float64]:
        """The model's forecast of the final state, shape (n_dims,)."""
        return self.trace.forecast[-1]

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "parameters": dict(self.parameters),
            "n_rounds": self.n_rounds,
            "converged": bool(self.converged),
            "notes": list(self.notes),
            "actor_names": None if self.actor_names is None else list(self.actor_names),
            "dimension_names": (
                None if self.dimension_names is None else list(self.dimension_names)
            ),
            "final_positions": _json_array(self.final_positions),
            "forecast": _json_array(self.forecast),
            "trace": self.trace.to_dict(),
            "moves": [move.to_dict() for move in self.moves],
        }

    def to_frame(
        self, table: Literal["positions", "forecast", "moves"] = "positions"
    ) -> pd.DataFrame:
        """A long-format DataFrame of one part of the result.

        - ``"positions"``: one row per (round, actor, dimension) with
          ``position``, ``win_probability`` and ``risk_attitude`` (NaN where
          the model has none).
        - ``"forecast"``: one row per (round, dimension) with ``forecast``.
        - ``"moves"``: one row per move and dimension it touches.
        """
        if table == "positions":
            return self._positions_frame()
        if table == "forecast":
            return self._forecast_frame()
        if table == "moves":
            return self._moves_frame()
        raise ValueError(f"table must be 'positions', 'forecast' or 'moves', got {table!r}")

    def _actor_labels(self) -> list[Any]:
        n_actors = self.trace.positions.shape[1]
        return list(self.actor_names) if self.actor_names is not None else list(range(n_actors))

    def _dimension_labels(self) -> list[Any]:
        n_dims = self.trace.positions.shape[2]
        if self.dimension_names is not None:
            return list(self.dimension_names)
        return list(range(n_dims))

    def _positions_frame(self) -> pd.DataFrame:
        positions = self.trace.positions
        n_states, n_actors, n_dims = positions.shape
        rounds, actors, dims = np.meshgrid(
            np.arange(n_states), np.arange(n_actors), np.arange(n_dims), indexing="ij"
        )
        win = self.trace.win_probabilities
        risk = self.trace.risk_attitudes
        if risk is not None and risk.ndim == 2:
            risk = np.broadcast_to(risk[:, :, None], positions.shape)
        frame = pd.DataFrame(
            {
                "round": rounds.ravel(),
                "actor": np.asarray(self._actor_labels(), dtype=object)[actors.ravel()],
                "dimension": np.asarray(self._dimension_labels(), dtype=object)[dims.ravel()],
                "position": positions.ravel(),
                "win_probability": (
                    np.broadcast_to(win[:, :, None], positions.shape).ravel()
                    if win is not None
                    else np.full(positions.size, np.nan)
                ),
                "risk_attitude": (
                    risk.ravel() if risk is not None else np.full(positions.size, np.nan)
                ),
            }
        )
        return frame

    def _forecast_frame(self) -> pd.DataFrame:
        forecast = self.trace.forecast
        n_states, n_dims = forecast.shape
        rounds, dims = np.meshgrid(np.arange(n_states), np.arange(n_dims), indexing="ij")
        return pd.DataFrame(
            {
                "round": rounds.ravel(),
                "dimension": np.asarray(self._dimension_labels(), dtype=object)[dims.ravel()],
                "forecast": forecast.ravel(),
            }
        )

    def _moves_frame(self) -> pd.DataFrame:
        actor_labels = self._actor_labels()
        dimension_labels = self._dimension_labels()
        rows = []
        for move in self.moves:
            if move.dimension is None:
                touched = list(enumerate(move.position))
            else:
                touched = [(move.dimension, move.position[0])]
            for dim, value in touched:
                rows.append(
                    {
                        "round": move.round,
                        "kind": move.kind,
                        "actor": actor_labels[move.actor],
                        "counterpart": actor_labels[move.counterpart],
                        "dimension": dimension_labels[dim],
                        "position": value,
                        "probability": np.nan if move.probability is None else move.probability,
                        "gain": np.nan if move.gain is None else move.gain,
                        "counterpart_gain": (
                            np.nan if move.counterpart_gain is None else move.counterpart_gain
                        ),
                    }
                )
        columns = [
            "round",
            "kind",
            "actor",
            "counterpart",
            "dimension",
            "position",
            "probability",
            "gain",
            "counterpart_gain",
        ]
        return pd.DataFrame(rows, columns=columns)


def _json_float(value: float | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if np.isfinite(value) else None


def _json_array(values: NDArray[np.float64] | None) -> Any:
    if values is None:
        return None
    array = np.asarray(values, dtype=float)
    as_objects = array.astype(object)
    as_objects[~np.isfinite(array)] = None
    return as_objects.tolist()
