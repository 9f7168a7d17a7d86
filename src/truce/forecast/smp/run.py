"""One SMP round and the whole run to KTAB's stopping rule (FORECAST.md A.6, A.7)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from truce.forecast.compromise import validate_spatial_inputs
from truce.forecast.results import ForecastResult, ForecastTrace, Move
from truce.forecast.smp.bargains import _form_bargains, _resolve_queues
from truce.forecast.smp.challenges import choose_targets
from truce.forecast.smp.options import (
    BargainModel,
    BigRAdjust,
    BigRRange,
    InterVecBargain,
    PCEModel,
    SALIENCE_SUM_TOLERANCE,
    SMPParameters,
    STOP_OFFSET,
    StateTransitions,
    ThirdPartyCommit,
    VictoryProbModel,
    VotingRule,
)
from truce.forecast.smp.state import StateAssessment, assess_state


def smp_round(
    capability: NDArray[np.float64],
    positions: NDArray[np.float64],
    salience: NDArray[np.float64],
    assessment: StateAssessment,
    parameters: SMPParameters = SMPParameters(),
    rng: np.random.Generator | None = None,
    round_number: int = 1,
) -> tuple[NDArray[np.float64], list[Move]]:
    """One turn, state t -> state t + 1 (A.6), on the assessment of state t.

      1. every actor chooses its target (A.6.2);
      2. each challenge forms its bargain(s) (A.6.3-4);
      3. each actor's queue (status quo first, then the bargains it is
         part of in initiator order) is resolved by a PCE with w = c over
         average utilities (A.6.5): deterministically the first most
         probable entry, stochastically a draw from the PCE (one draw per
         actor with at least one bargain, in actor order, from ``rng``);
      4. all actors move together.

    Returns the new positions and the round's moves.
    """
    targets, probability, gain = choose_targets(capability, salience, assessment, parameters)
    challengers = np.flatnonzero(targets >= 0)
    chosen_targets = targets[challengers]
    bargains = _form_bargains(
        challengers,
        chosen_targets,
        probability[challengers],
        capability,
        positions,
        salience,
        assessment,
        parameters,
    )
    bargains_per_challenge = 2 if parameters.bargain_model is BargainModel.INIT_RCVR_INTERP else 1
    probabilities, gains = probability.tolist(), gain.tolist()
    moves = [
        Move(
            round=round_number,
            kind="challenge",
            actor=i,
            counterpart=j,
            position=tuple(offer),
            probability=probabilities[i],
            gain=gains[i],
        )
        for i, j, offer in zip(
            challengers.tolist(),
            chosen_targets.tolist(),
            bargains.initiator_offer[::bargains_per_challenge].tolist(),
            strict=True,
        )
    ]
    elections = _resolve_queues(capability, positions, salience, assessment, bargains, parameters)
    new_positions = positions.copy()
    stochastic = parameters.state_transitions is StateTransitions.STOCHASTIC
    if stochastic and rng is None:
        rng = np.random.default_rng()
    for actor, (entries, election) in enumerate(elections):
        if entries.size == 0:
            continue
        if stochastic:
            cumulative = np.cumsum(election)
            winner = int(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"))
            winner = min(winner, election.size - 1)
        else:
            winner = int(election.argmax())
        if winner == 0:
            continue
        bargain = entries[winner - 1]
        is_initiator = bargains.initiator[bargain] == actor
        offer = (
            bargains.initiator_offer[bargain] if is_initiator else bargains.receiver_offer[bargain]
        )
        partner = bargains.receiver[bargain] if is_initiator else bargains.initiator[bargain]
        new_positions[actor] = offer
        moves.append(
            Move(
                round=round_number,
                kind="accept",
                actor=actor,
                counterpart=int(partner),
                position=tuple(offer.tolist()),
                probability=float(election[winner]),
            )
        )
    return new_positions, moves


# --------------------------------------------------------------------------
# A.7 The run


def _validate_smp_inputs(
    capability: ArrayLike, positions: ArrayLike, salience: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    capability, positions, salience = validate_spatial_inputs(
        capability, positions, salience, position_range=(0.0, 1.0), positive_capability=True
    )
    if capability.size < 2:
        raise ValueError(f"the SMP needs at least 2 actors, got {capability.size}")
    total = salience.sum(axis=1)
    empty = np.flatnonzero(total <= 0)
    if empty.size:
        raise ValueError(
            f"actor {empty[0]} has zero salience on every dimension; "
            "its total salience must be greater than 0"
        )
    over = np.flatnonzero(total > 1.0 + SALIENCE_SUM_TOLERANCE)
    if over.size:
        raise ValueError(
            f"saliences of actor {over[0]} sum to {float(total[over[0]])!r}; "
            "an actor's saliences must sum to at most 1 (100 on KTAB's scale)"
        )
    return capability, positions, salience


def _state_distance(after: NDArray[np.float64], before: NDArray[np.float64]) -> float:
    return float(np.linalg.norm(after - before, axis=1).sum())


def smp(
    capability: ArrayLike,
    positions: ArrayLike,
    salience: ArrayLike,
    *,
    victory_prob_model: VictoryProbModel | str = VictoryProbModel.LINEAR,
    voting_rule: VotingRule | str = VotingRule.PROP,
    pce_model: PCEModel | str = PCEModel.CONDITIONAL,
    state_transitions: StateTransitions | str = StateTransitions.DETERMINISTIC,
    big_r_range: BigRRange | str = BigRRange.MID,
    big_r_adjust: BigRAdjust | str = BigRAdjust.ONE_THIRD,
    third_party_commit: ThirdPartyCommit | str = ThirdPartyCommit.SEMI_COMMIT,
    inter_vec_bargain: InterVecBargain | str = InterVecBargain.S2P2,
    bargain_model: BargainModel | str = BargainModel.INIT_ONLY_INTERP,
    max_rounds: int = 100,
    min_rounds: int = 2,
    stop_ratio: float = 0.02,
    seed: int | np.random.Generator | None = None,
) -> ForecastResult:
    """Run KTAB's Spatial Model of Politics to its stopping rule.

    Parameters
    ----------
    capability:
        (n_actors,), each > 0 (KTAB's "Power", used as given).
    positions:
        (n_actors, n_dims) on [0, 1] (KTAB's 0-100 divided by 100).
    salience:
        (n_actors, n_dims) on [0, 1], each actor's summing to at most 1.
    victory_prob_model, voting_rule, pce_model, state_transitions,
    big_r_range, big_r_adjust, third_party_commit, inter_vec_bargain,
    bargain_model:
        the options of FORECAST.md A.1 (see the enums of this module);
        defaults are KTAB's reference run: Linear, Prop, Conditional,
        Deterministic, Mid, OneThird, SemiCommit, S2P2, InitOnlyInterp.
    max_rounds, min_rounds, stop_ratio:
        the stopping rule of A.7: stop after round it when it >= max_rounds,
        or when it >= min_rounds and
        r_it = dist(X_it, X_it-1) / (dist(X_1, X_0) + 1e-4) < stop_ratio,
        with dist(X, Y) = sum_i ||x_i - y_i||_2. KTAB: 100, 2, 0.02.
    seed:
        seed or Generator for stochastic state transitions; unused when
        they are deterministic.

    Returns
    -------
    ForecastResult with ``model="smp"``: positions of every state,
    winning probabilities (A.8), risk attitudes R and stop ratios per
    state, the expected position under each state's winning probabilities
    as the forecast, and the challenge and accept moves of every round.
    ``converged`` is True when the ratio test, not max_rounds, stopped
    the run.

    Each round is :func:`smp_round` on :func:`assess_state` of the
    previous state; the reference run (KTAB dummyData_3Dim) is reproduced
    state by state (tests/forecast/test_forecast_smp.py).
    """
    parameters = SMPParameters(
        victory_prob_model=victory_prob_model,
        voting_rule=voting_rule,
        pce_model=pce_model,
        state_transitions=state_transitions,
        big_r_range=big_r_range,
        big_r_adjust=big_r_adjust,
        third_party_commit=third_party_commit,
        inter_vec_bargain=inter_vec_bargain,
        bargain_model=bargain_model,
    )
    capability, current, salience = _validate_smp_inputs(capability, positions, salience)
    if int(max_rounds) != max_rounds or max_rounds < 1:
        raise ValueError(f"max_rounds must be an integer of at least 1, got {max_rounds!r}")
    if int(min_rounds) != min_rounds or min_rounds < 1:
        raise ValueError(f"min_rounds must be an integer of at least 1, got {min_rounds!r}")
    if not (np.isfinite(stop_ratio) and stop_ratio >= 0):
        raise ValueError(f"stop_ratio must be a finite number >= 0, got {stop_ratio!r}")
    rng = np.random.default_rng(seed)

    assessment = assess_state(capability, current, salience, parameters)
    states = [current]
    assessments = [assessment]
    moves: list[Move] = []
    ratios: list[float] = []
    first_distance = 0.0
    converged = False
    round_number = 0
    while True:
        round_number += 1
        following, round_moves = smp_round(
            capability, current, salience, assessment, parameters, rng, round_number
        )
        moves.extend(round_moves)
        assessment = assess_state(capability, following, salience, parameters)
        step = _state_distance(following, current)
        if round_number == 1:
            first_distance = step
        ratios.append(step / (first_distance + STOP_OFFSET))
        states.append(following)
        assessments.append(assessment)
        current = following
        if round_number >= min_rounds and ratios[-1] < stop_ratio:
            converged = True
            break
        if round_number >= max_rounds:
            break

    notes = tuple(
        f"state {index}: every risk-neutral win probability was equal, so every "
        "risk attitude R was set to 0 (FORECAST.md A.9; KTAB would divide by zero)"
        for index, state in enumerate(assessments)
        if state.degenerate_risk
    )
    run_parameters: dict[str, Any] = parameters.to_dict()
    run_parameters.update(
        max_rounds=int(max_rounds),
        min_rounds=int(min_rounds),
        stop_ratio=float(stop_ratio),
        seed=int(seed) if isinstance(seed, int | np.integer) else None,
    )
    return ForecastResult(
        model="smp",
        parameters=run_parameters,
        trace=ForecastTrace(
            positions=np.stack(states),
            forecast=np.stack([state.expected_position for state in assessments]),
            win_probabilities=np.stack([state.win_probability for state in assessments]),
            risk_attitudes=np.stack([state.risk_attitude for state in assessments]),
            stop_ratios=np.asarray(ratios),
        ),
        moves=tuple(moves),
        converged=converged,
        notes=notes,
    )
