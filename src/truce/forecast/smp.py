"""KTAB's Spatial Model of Politics (SMP).

The SMP is the spatial bargaining model of the KAPSARC Toolkit for
Behavioral Analysis (KTAB): actors hold positions in a multi-dimensional
issue space, challenge one another in "probabilistic Condorcet elections"
(PCE) in which third parties join the side they expect to gain from, and
move to interpolated bargains that the other actors' votes elect.

Sources:
  - KAPSARC discussion papers "An Introduction to the KAPSARC Toolkit for
    Behavioral Analysis (KTAB)" and "Multidimensional Bargaining using
    KTAB", which describe the SMP as instantiated in KTAB;
  - [WiseBankes2015] B. Wise, S. Bankes, "Non-spatial Probabilistic
    Condorcet Election Methodology" (2015), the PCE of A.3f;
  - [Abdollahian2006] M. Abdollahian, M. Baranick, B. Efird, J. Kugler,
    *Senturion: A Predictive Political Simulation Model* (Center for
    Technology and National Security Policy, NDU, 2006), the challenge and
    third-party logic the SMP inherits;
  - KTAB's public source, examples/smp (smp.cpp, smpbcn.cpp) and
    kmodel/kmodel.cpp, and its reference log
    examples/smp/doc/20170530_ref-dummyData_3Dim.txt (KAPSARC, mirror
    lsyaseen/KTAB);
  - truce's implementation spec, ``shared/models/FORECAST.md`` section A,
    whose paragraph numbers (A.3 .. A.8) the docstrings below cite.

Everything works on KTAB's internal scale: positions and saliences on
[0, 1] (KTAB's 0-100 input divided by 100), capabilities as given. Ideal
points equal positions (KTAB's default identity accommodation matrix).

Public entry point: :func:`smp`. The building blocks (:func:`vote`,
:func:`probabilistic_condorcet_election`, :func:`assess_state`,
:func:`challenge_outcomes`, :func:`interpolate_bargains`) are pure
functions of arrays and are exported for tests and for other engines.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.spatial.distance import cdist

from truce.forecast.compromise import validate_spatial_inputs
from truce.forecast.results import ForecastResult, ForecastTrace, Move

__all__ = [
    "BargainModel",
    "BigRAdjust",
    "BigRRange",
    "InterVecBargain",
    "PCEModel",
    "SMPParameters",
    "StateAssessment",
    "StateTransitions",
    "ThirdPartyCommit",
    "VictoryProbModel",
    "VotingRule",
    "assess_state",
    "challenge_outcomes",
    "choose_targets",
    "coalition_strengths",
    "interpolate_bargains",
    "probabilistic_condorcet_election",
    "smp",
    "smp_round",
    "spatial_utility",
    "victory_probabilities",
    "vote",
    "weighted_distances",
]


class VictoryProbModel(StrEnum):
    """How coalition strengths become a pairwise victory probability (A.3e)."""

    LINEAR = "Linear"
    SQUARE = "Square"
    QUARTIC = "Quartic"
    OCTIC = "Octic"
    BINARY = "Binary"


class VotingRule(StrEnum):
    """How a utility difference becomes a vote (A.3c)."""

    PROP = "Prop"
    CUBIC = "Cubic"
    PROP_CBC = "PropCbc"
    BINARY = "Binary"
    PROP_BIN = "PropBin"
    ASYM_PROSP = "ASymProsp"


class PCEModel(StrEnum):
    """How pairwise victory probabilities become option probabilities (A.3f)."""

    CONDITIONAL = "Conditional"
    MARKOV_UNIFORM = "MarkovUniform"
    MARKOV_INCENTIVE = "MarkovIncentive"


class StateTransitions(StrEnum):
    """How a queue's election picks the winner (A.6.5)."""

    DETERMINISTIC = "Deterministic"
    STOCHASTIC = "Stochastic"


class BigRRange(StrEnum):
    """Range of the inferred risk attitudes R (A.4.4)."""

    MIN = "Min"
    MID = "Mid"
    MAX = "Max"


class BigRAdjust(StrEnum):
    """How actor h perceives actor i's risk attitude (A.1)."""

    FULL = "Full"
    TWO_THIRDS = "TwoThirds"
    HALF = "Half"
    ONE_THIRD = "OneThird"
    NONE = "None"


class ThirdPartyCommit(StrEnum):
    """How far a third party commits to the side it joins (A.5.2)."""

    FULL_COMMIT = "FullCommit"
    SEMI_COMMIT = "SemiCommit"
    NO_COMMIT = "NoCommit"


class InterVecBargain(StrEnum):
    """How the two principals' positions are interpolated into a bargain (A.6.3)."""

    S1P1 = "S1P1"
    S2P2 = "S2P2"
    S2PMAX = "S2PMax"


class BargainModel(StrEnum):
    """Which bargains a challenge puts in the queues (A.6.4)."""

    INIT_ONLY_INTERP = "InitOnlyInterp"
    INIT_RCVR_INTERP = "InitRcvrInterp"
    PW_COMP_INTERP = "PWCompInterp"


# Constants KTAB hard-codes (FORECAST.md A.1, second table).
PCE_COALITION_FLOOR = 1e-8
CHALLENGE_COALITION_FLOOR = 1e-10
MINIMUM_SIGNIFICANT_GAIN = 1e-5
BARGAIN_WEIGHT_FLOOR = 1e-6
BARGAIN_DECIMALS = 4
POSITION_EQUIVALENCE_TOLERANCE = 1e-3
BINARY_VOTE_RAMP = 1e-8
STOP_OFFSET = 1e-4
MARKOV_UNIFORM_TOLERANCE = 1e-6
MARKOV_INCENTIVE_TOLERANCE = 1e-8
MARKOV_INCENTIVE_DIAGONAL = 1e-10
MARKOV_MAX_ITERATIONS = 1000
# Tolerance on an actor's total salience above 1, for inputs that sum to
# exactly 100 on KTAB's scale before division by 100.
SALIENCE_SUM_TOLERANCE = 1e-9
# Below this spread of the risk-neutral PCE probabilities the risk
# attitudes are 0/0 (A.9); truce then sets every R to 0.
RISK_SPREAD_FLOOR = 1e-12

# Elements per temporary array in the vectorised loops: ~1 MB of float64,
# small enough to stay in cache, large enough to amortise numpy's overhead.
_CACHE_ELEMENTS = 1 << 17

_Option = TypeVar("_Option", bound=StrEnum)


def _parse_option(kind: type[_Option], value: Any, name: str) -> _Option:
    if isinstance(value, kind):
        return value
    if isinstance(value, str):
        wanted = value.replace("_", "").replace("-", "").lower()
        for member in kind:
            if wanted in (member.value.lower(), member.name.replace("_", "").lower()):
                return member
    choices = ", ".join(member.value for member in kind)
    raise ValueError(f"{name} must be one of {choices}; got {value!r}")


@dataclass(frozen=True)
class SMPParameters:
    """The options of FORECAST.md A.1, with KTAB's reference-run defaults.

    Strings are accepted in place of the enums, case-insensitively, by
    value (``"OneThird"``) or by name (``"one_third"``).
    """

    victory_prob_model: VictoryProbModel = VictoryProbModel.LINEAR
    voting_rule: VotingRule = VotingRule.PROP
    pce_model: PCEModel = PCEModel.CONDITIONAL
    state_transitions: StateTransitions = StateTransitions.DETERMINISTIC
    big_r_range: BigRRange = BigRRange.MID
    big_r_adjust: BigRAdjust = BigRAdjust.ONE_THIRD
    third_party_commit: ThirdPartyCommit = ThirdPartyCommit.SEMI_COMMIT
    inter_vec_bargain: InterVecBargain = InterVecBargain.S2P2
    bargain_model: BargainModel = BargainModel.INIT_ONLY_INTERP

    def __post_init__(self) -> None:
        kinds = {
            "victory_prob_model": VictoryProbModel,
            "voting_rule": VotingRule,
            "pce_model": PCEModel,
            "state_transitions": StateTransitions,
            "big_r_range": BigRRange,
            "big_r_adjust": BigRAdjust,
            "third_party_commit": ThirdPartyCommit,
            "inter_vec_bargain": InterVecBargain,
            "bargain_model": BargainModel,
        }
        for name, kind in kinds.items():
            object.__setattr__(self, name, _parse_option(kind, getattr(self, name), name))

    def to_dict(self) -> dict[str, str]:
        return {name: str(value) for name, value in asdict(self).items()}


# --------------------------------------------------------------------------
# A.3 Building blocks


def weighted_distances(
    positions: NDArray[np.float64],
    salience: NDArray[np.float64],
    points: NDArray[np.float64] | None = None,
) -> NDArray[np.float64]:
    """Salience-weighted distances d_i(x_i, y) of A.3a.

    d_i(y, z) = sqrt( sum_k s_ik^2 (y_k - z_k)^2 / sum_k s_ik^2 )

    Returns D with D[i, j] = d_i(x_i, points_j), shape (n_actors, n_points);
    ``points`` defaults to the actors' own positions (A.4.1). With
    ``points`` of shape (n_points, n_actors, n_dims), point j is taken
    per actor and the result is (n_points, n_actors): D[j, i] =
    d_i(x_i, points[j, i]).
    """
    squared = salience**2
    dimension_weights = squared / squared.sum(axis=1, keepdims=True)
    if points is None:
        points = positions
    if points.ndim == 3:
        gap = points - positions[None, :, :]
        return np.sqrt(np.einsum("ik,jik->ji", dimension_weights, gap * gap))
    distances = np.empty((positions.shape[0], points.shape[0]))
    rows_per_chunk = max(1, _CACHE_ELEMENTS // max(1, points.size))
    for start in range(0, positions.shape[0], rows_per_chunk):
        stop = start + rows_per_chunk
        gap = positions[start:stop, None, :] - points[None, :, :]
        distances[start:stop] = np.sqrt(
            np.einsum("ik,ijk->ij", dimension_weights[start:stop], gap * gap)
        )
    return distances


def spatial_utility(distance: ArrayLike, risk: ArrayLike) -> NDArray[np.float64]:
    """KTAB's risk-aware utility of a distance (A.3b).

    u(d, R) = (1 - d)(1 + d R) for d <= 1, and (1 - d)(1 + R) for d > 1.
    R = 0 is risk-neutral, R = 1 the most risk-averse. Broadcasts.
    """
    distance = np.asarray(distance, dtype=float)
    risk = np.asarray(risk, dtype=float)
    return (1.0 - distance) * (1.0 + np.minimum(distance, 1.0) * risk)


def _vote_response(rule: VotingRule, delta: NDArray[np.float64]) -> NDArray[np.float64]:
    """f(delta) with v(w, a, b) = w f(a - b): every rule of A.3c is a weight times f."""
    if rule is VotingRule.PROP:
        return delta
    if rule is VotingRule.CUBIC:
        return delta**3
    if rule is VotingRule.PROP_CBC:
        return 0.5 * delta + 0.5 * delta**3
    binary = np.clip(delta / BINARY_VOTE_RAMP, -1.0, 1.0)
    if rule is VotingRule.BINARY:
        return binary
    if rule is VotingRule.PROP_BIN:
        return 0.8 * delta + 0.2 * binary
    if rule is VotingRule.ASYM_PROSP:
        return np.where(delta < 0, delta, 2.0 * delta / 3.0)
    raise ValueError(f"unknown voting rule {rule!r}")


def vote(
    rule: VotingRule, weight: ArrayLike, preferred: ArrayLike, other: ArrayLike
) -> NDArray[np.float64]:
    """A voter's vote v(w, a, b) for utility a against utility b (A.3c).

    Mirrors KTAB's ``Model::vote`` (kmodel.cpp). With delta = a - b:
    Prop w delta; Cubic w delta^3; PropCbc w (delta + delta^3)/2;
    Binary w clip(delta/1e-8, -1, 1); PropBin w (0.8 delta + 0.2 binary);
    ASymProsp w delta for delta < 0, (2/3) w delta for delta > 0.
    Broadcasts over all three arguments.
    """
    delta = np.asarray(preferred, dtype=float) - np.asarray(other, dtype=float)
    return np.asarray(weight, dtype=float) * _vote_response(rule, delta)


def coalition_strengths(
    weights: NDArray[np.float64], utilities: NDArray[np.float64], rule: VotingRule
) -> NDArray[np.float64]:
    """Coalition strengths C of an election among options (A.3d).

    weights: (n_voters,), each > 0; utilities: (..., n_voters, n_options),
    with any leading batch axes (one election each). For each pair m > n
    KTAB computes v_kmn = v(w_k, u_km, u_kn) once and sets
    C_mn = 1e-8 + sum_k max(0, v_kmn), C_nm = 1e-8 + sum_k max(0, -v_kmn)
    (``Model::coalitions``); C_mm = 1e-8. For every rule but ASymProsp
    v(w, a, b) = -v(w, b, a), so C_nm is the same sum taken from n's side;
    ASymProsp takes both from the lower triangle, as KTAB does.
    Returns (..., n_options, n_options).
    """
    utilities = np.asarray(utilities, dtype=float)
    batch_shape = utilities.shape[:-2]
    n_voters, n_options = utilities.shape[-2:]
    by_option = np.ascontiguousarray(np.swapaxes(utilities.reshape(-1, n_voters, n_options), 1, 2))
    n_elections = by_option.shape[0]
    asymmetric = rule is VotingRule.ASYM_PROSP
    favour = np.empty((n_elections, n_options, n_options))
    against = np.empty_like(favour) if asymmetric else favour
    per_option_row = n_options * n_voters
    if per_option_row * n_options <= _CACHE_ELEMENTS:
        option_rows = n_options
        election_rows = max(1, _CACHE_ELEMENTS // (per_option_row * n_options))
    else:
        option_rows = max(1, _CACHE_ELEMENTS // per_option_row)
        election_rows = 1
    for first_election in range(0, n_elections, election_rows):
        elections = slice(first_election, first_election + election_rows)
        for first_option in range(0, n_options, option_rows):
            options = slice(first_option, first_option + option_rows)
            response = _vote_response(
                rule, by_option[elections, options, None, :] - by_option[elections, None, :, :]
            )
            favour[elections, options] = np.maximum(response, 0.0) @ weights
            if asymmetric:
                against[elections, options] = np.maximum(-response, 0.0) @ weights
    if asymmetric:
        lower = np.tril(np.ones((n_options, n_options), dtype=bool), k=-1)
        favour = np.where(lower, favour, np.swapaxes(against, 1, 2))
    strengths = favour + PCE_COALITION_FLOOR
    strengths[:, np.arange(n_options), np.arange(n_options)] = PCE_COALITION_FLOOR
    return strengths.reshape(*batch_shape, n_options, n_options)


def victory_probabilities(
    strengths: NDArray[np.float64], model: VictoryProbModel
) -> NDArray[np.float64]:
    """Pairwise victory probabilities P_mn from coalition strengths (A.3e).

    Linear P_mn = C_mn/(C_mn + C_nm); Square, Quartic, Octic the same on
    C^2, C^4, C^8; Binary a ramp that is certain beyond a 10% advantage
    (``Model::vProb``, kmodel.cpp). P_mm = 1/2. Works on (..., M, M).
    """
    favour = strengths
    against = np.swapaxes(strengths, -1, -2)
    if model is VictoryProbModel.BINARY:
        ramp = (favour / (favour + against) * 2.1 - 1.0) / 0.1
        favour_wins = favour >= 1.1 * against
        against_wins = against >= 1.1 * favour
        x_favour = np.where(favour_wins, 1.0, np.where(against_wins, 1e-6, ramp))
        x_against = np.where(favour_wins, 1e-6, np.where(against_wins, 1.0, 1.0 - ramp))
    else:
        power = {
            VictoryProbModel.LINEAR: 1,
            VictoryProbModel.SQUARE: 2,
            VictoryProbModel.QUARTIC: 4,
            VictoryProbModel.OCTIC: 8,
        }[model]
        x_favour = favour**power
        x_against = against**power
    probabilities = x_favour / (x_favour + x_against)
    diagonal = np.arange(strengths.shape[-1])
    probabilities[..., diagonal, diagonal] = 0.5
    return probabilities


def probabilistic_condorcet_election(
    weights: NDArray[np.float64],
    utilities: NDArray[np.float64],
    rule: VotingRule,
    victory_model: VictoryProbModel = VictoryProbModel.LINEAR,
    pce_model: PCEModel = PCEModel.CONDITIONAL,
) -> NDArray[np.float64]:
    """Probability pi_m that each option wins a PCE (A.3d-f).

    weights: (n_voters,); utilities: (..., n_voters, n_options), leading
    axes being independent elections. Returns (..., n_options).

    Conditional: pi_m proportional to prod_n P_mn (including P_mm = 1/2),
    computed as a sum of logarithms so that hundreds of options do not
    underflow. MarkovUniform and MarkovIncentive: KTAB's fixed-point
    iterations (``Model::markovUniformPCE``, ``markovIncentivePCE``),
    q_m = (1/M) sum_n P_mn (pi_m + pi_n), respectively
    q_m = sum_n P_mn (pi_m kappa_nm + pi_n kappa_mn) with challenge
    probabilities kappa_mn = I_mn / sum_l I_ln, I = C P + 1e-10 on the
    diagonal; each election stops when max|q - pi| (before the update
    pi <- (pi + q)/2) is at most 1e-6, respectively 1e-8. They raise
    RuntimeError after 1000 iterations, as KTAB does.
    """
    strengths = coalition_strengths(weights, utilities, rule)
    probabilities = victory_probabilities(strengths, victory_model)
    if pce_model is PCEModel.CONDITIONAL:
        log_product = np.log(probabilities).sum(axis=-1)
        unnormalised = np.exp(log_product - log_product.max(axis=-1, keepdims=True))
        return unnormalised / unnormalised.sum(axis=-1, keepdims=True)
    batch_shape = probabilities.shape[:-2]
    n_options = probabilities.shape[-1]
    probabilities = probabilities.reshape(-1, n_options, n_options)
    if pce_model is PCEModel.MARKOV_UNIFORM:
        tolerance = MARKOV_UNIFORM_TOLERANCE

        def markov_step(
            current: NDArray[np.float64], active: NDArray[np.intp]
        ) -> NDArray[np.float64]:
            pair_sum = current[:, :, None] + current[:, None, :]
            return (probabilities[active] * pair_sum).sum(axis=-1) / n_options

    elif pce_model is PCEModel.MARKOV_INCENTIVE:
        tolerance = MARKOV_INCENTIVE_TOLERANCE
        incentive = strengths.reshape(-1, n_options, n_options) * probabilities
        diagonal = np.arange(n_options)
        incentive[:, diagonal, diagonal] += MARKOV_INCENTIVE_DIAGONAL
        challenge = incentive / incentive.sum(axis=1, keepdims=True)

        def markov_step(
            current: NDArray[np.float64], active: NDArray[np.intp]
        ) -> NDArray[np.float64]:
            flow = (
                current[:, :, None] * np.swapaxes(challenge[active], 1, 2)
                + current[:, None, :] * challenge[active]
            )
            return (probabilities[active] * flow).sum(axis=-1)

    else:
        raise ValueError(f"unknown PCE model {pce_model!r}")
    distribution = np.full(probabilities.shape[:2], 1.0 / n_options)
    active = np.arange(distribution.shape[0])
    for _ in range(MARKOV_MAX_ITERATIONS):
        current = distribution[active]
        update = markov_step(current, active)
        change = np.max(np.abs(update - current), axis=1)
        distribution[active] = (current + update) / 2.0
        active = active[change > tolerance]
        if active.size == 0:
            return distribution.reshape(*batch_shape, n_options)
    raise RuntimeError(
        f"{pce_model} PCE did not converge within {MARKOV_MAX_ITERATIONS} iterations"
    )


# --------------------------------------------------------------------------
# A.4 Assessing a state


@dataclass(frozen=True)
class StateAssessment:
    """Everything A.4 and A.8 derive from one state's positions.

    distances: D, (n, n), D[i, j] = d_i(x_i, x_j).
    risk_neutral_value: V = 1 - D, KTAB's "risk_neutral_value".
    risk_neutral_probability: p0, the risk-neutral PCE over all positions.
    risk_attitude: R, (n,).
    risk_aware_utility: U, (n, n), U[i, j] = u(D_ij, R_i).
    win_probability: (n,), A.8's winning probability of each actor's position.
    expected_position: (n_dims,), sum over distinct positions of their
        winning probability times the position (truce's forecast of the
        state; not a KTAB output).
    degenerate_risk: True when every p0 was equal and R was set to 0 (A.9).
    """

    distances: NDArray[np.float64]
    risk_neutral_value: NDArray[np.float64]
    risk_neutral_probability: NDArray[np.float64]
    risk_attitude: NDArray[np.float64]
    risk_aware_utility: NDArray[np.float64]
    win_probability: NDArray[np.float64]
    expected_position: NDArray[np.float64]
    degenerate_risk: bool


def _risk_attitudes(
    probability: NDArray[np.float64], big_r_range: BigRRange
) -> tuple[NDArray[np.float64], bool]:
    p_min = probability.min()
    p_max = probability.max()
    spread = p_max - p_min
    if spread <= RISK_SPREAD_FLOOR:
        return np.zeros_like(probability), True
    if big_r_range is BigRRange.MIN:
        return (probability - p_min) / spread, False
    if big_r_range is BigRRange.MID:
        return (3.0 * probability - (p_max + 2.0 * p_min)) / (2.0 * spread), False
    return (2.0 * probability - (p_max + p_min)) / spread, False


def _perceived_risk(risk: NDArray[np.float64], adjust: BigRAdjust) -> NDArray[np.float64]:
    """rho[h, i]: h's estimate of i's risk attitude (``Model::estNRA``)."""
    own = risk[:, None]
    other = risk[None, :]
    if adjust is BigRAdjust.FULL:
        return np.broadcast_to(other, (risk.size, risk.size)).copy()
    if adjust is BigRAdjust.TWO_THIRDS:
        return (own + 2.0 * other) / 3.0
    if adjust is BigRAdjust.HALF:
        return (own + other) / 2.0
    if adjust is BigRAdjust.ONE_THIRD:
        return (2.0 * own + other) / 3.0
    return np.broadcast_to(own, (risk.size, risk.size)).copy()


def _distinct_positions(
    positions: NDArray[np.float64],
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Representatives of A.8.1 and, per actor, its last representative within 1e-3."""
    near = cdist(positions, positions) < POSITION_EQUIVALENCE_TOLERANCE
    representative = np.zeros(positions.shape[0], dtype=bool)
    for actor in range(positions.shape[0]):
        representative[actor] = not np.any(near[actor] & representative)
    chosen = np.flatnonzero(representative)
    near_chosen = near[:, chosen]
    last_near = chosen.size - 1 - np.argmax(near_chosen[:, ::-1], axis=1)
    return chosen, last_near


def assess_state(
    capability: NDArray[np.float64],
    positions: NDArray[np.float64],
    salience: NDArray[np.float64],
    parameters: SMPParameters = SMPParameters(),
) -> StateAssessment:
    """Assess one state (A.4) and its winning probabilities (A.8).

    Steps:
      1. D_ij = d_i(x_i, x_j) (A.3a);
      2. V = 1 - D;
      3. p0 = PCE(w = c, u = V, VotingRule) over all N positions;
      4. R from p0 by BigRRange (the most probable position gets R = 1);
      5. U_ij = u(D_ij, R_i);
      6. winning probabilities: a PCE with w = c, the Prop rule, and
         utilities U over the distinct positions (1e-3 apart); each actor
         reports its last equivalent representative's probability.
    """
    distances = weighted_distances(positions, salience)
    value = 1.0 - distances
    neutral = probabilistic_condorcet_election(
        capability,
        value,
        parameters.voting_rule,
        parameters.victory_prob_model,
        parameters.pce_model,
    )
    risk, degenerate = _risk_attitudes(neutral, parameters.big_r_range)
    utility = spatial_utility(distances, risk[:, None])
    representatives, actor_representative = _distinct_positions(positions)
    distinct = probabilistic_condorcet_election(
        capability,
        utility[:, representatives],
        VotingRule.PROP,
        parameters.victory_prob_model,
        parameters.pce_model,
    )
    return StateAssessment(
        distances=distances,
        risk_neutral_value=value,
        risk_neutral_probability=neutral,
        risk_attitude=risk,
        risk_aware_utility=utility,
        win_probability=distinct[actor_representative],
        expected_position=distinct @ positions[representatives],
        degenerate_risk=degenerate,
    )


# --------------------------------------------------------------------------
# A.5 Challenges


@dataclass(frozen=True)
class _PerceptionTables:
    """A state's perceived utilities in factored form.

    u(D_nm, rho) = (1 - D_nm) + (1 - D_nm) min(D_nm, 1) rho (A.3b), so
    actor h's perceived utility U^h[n, m] = value[m, n] + slope[m, n] rho[h, n],
    stored with the option m first so that a row is one option's column.
    """

    value: NDArray[np.float64]
    slope: NDArray[np.float64]
    own_value: NDArray[np.float64]
    own_slope: NDArray[np.float64]
    perceived_risk: NDArray[np.float64]
    influence: NDArray[np.float64]
    total_salience: NDArray[np.float64]


def _perception_tables(
    capability: NDArray[np.float64],
    salience: NDArray[np.float64],
    assessment: StateAssessment,
    parameters: SMPParameters,
) -> _PerceptionTables:
    distances = assessment.distances
    value = 1.0 - distances
    slope = value * np.minimum(distances, 1.0)
    total_salience = salience.sum(axis=1)
    return _PerceptionTables(
        value=np.ascontiguousarray(value.T),
        slope=np.ascontiguousarray(slope.T),
        own_value=np.diagonal(value).copy(),
        own_slope=np.diagonal(slope).copy(),
        perceived_risk=_perceived_risk(assessment.risk_attitude, parameters.big_r_adjust),
        influence=total_salience * capability,
        total_salience=total_salience,
    )


def _challenge_block(
    tables: _PerceptionTables,
    perceiver: NDArray[np.intp],
    beneficiary: NDArray[np.intp],
    initiator: NDArray[np.intp],
    targets: NDArray[np.intp] | None,
    parameters: SMPParameters,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(P, Delta) of A.5 for rows (h, k, i) against targets (rows, T), or all actors if None.

    The (rows, T, n) arrays are updated in place: this is the model's hot loop.
    """
    rule = parameters.voting_rule
    influence = tables.influence
    n_rows = perceiver.size
    n_actors = influence.size
    rows = np.arange(n_rows)[:, None]
    rho = tables.perceived_risk[perceiver]
    # U^h[n, i] and U^h[n, n] per row; U^h[n, j] per row and target: (rows, [targets,] n).
    toward_initiator = tables.value[initiator] + tables.slope[initiator] * rho
    own = tables.own_value + tables.own_slope * rho
    if targets is None:
        targets = np.broadcast_to(np.arange(n_actors), (n_rows, n_actors))
        toward_target = tables.slope[None, :, :] * rho[:, None, :]
        toward_target += tables.value[None, :, :]
    else:
        toward_target = tables.slope[targets] * rho[:, None, :]
        toward_target += tables.value[targets]
    columns = np.arange(targets.shape[1])[None, :]
    initiator_column = initiator[:, None]

    # 1. Principals, weighted by S c.
    vote_initiator = influence[initiator_column] * _vote_response(
        rule,
        toward_initiator[rows, initiator_column] - toward_target[rows, columns, initiator_column],
    )
    vote_target = influence[targets] * _vote_response(
        rule, toward_initiator[rows, targets] - toward_target[rows, columns, targets]
    )
    base_initiator = (
        CHALLENGE_COALITION_FLOOR + np.maximum(vote_initiator, 0.0) + np.maximum(vote_target, 0.0)
    )
    base_target = (
        CHALLENGE_COALITION_FLOOR - np.minimum(vote_initiator, 0.0) - np.minimum(vote_target, 0.0)
    )
    strength_initiator = base_initiator
    strength_target = base_target

    # 2. Third parties. Their final vote depends only on E_i - E_j, which is
    # pi (o - a) + (1 - pi)(b - o) under SemiCommit and exactly 0 under
    # FullCommit and NoCommit, where both sides value the outcomes alike.
    if parameters.third_party_commit is ThirdPartyCommit.SEMI_COMMIT:
        preliminary = influence * _vote_response(rule, toward_initiator[:, None, :] - toward_target)
        little = np.maximum(preliminary, 0.0)
        little += base_initiator[:, :, None]
        np.abs(preliminary, out=preliminary)
        preliminary += (base_initiator + base_target)[:, :, None]
        little /= preliminary
        # E_i - E_j = pi ((o - a) - (b - o)) + (b - o)
        target_side = np.subtract(toward_target, own[:, None, :], out=preliminary)
        difference = np.subtract(
            (own - toward_initiator)[:, None, :], target_side, out=toward_target
        )
        difference *= little
        difference += target_side
        final = _vote_response(rule, difference)
        final[rows, columns, initiator_column] = 0.0
        final[rows, columns, targets] = 0.0
        # Final votes w_n f(E_i - E_j): the positive ones join C_i, the
        # negative ones C_j, whose total is (sum of positives) - (sum of all).
        total = final @ influence
        for_initiator = np.maximum(final, 0.0, out=little) @ influence
        strength_initiator = base_initiator + for_initiator
        strength_target = base_target + (for_initiator - total)

    # 3. Probability and 4. gain to the beneficiary k.
    win = strength_initiator / (strength_initiator + strength_target)
    beneficiary_column = beneficiary[:, None]
    utility_initiator = toward_initiator[rows, beneficiary_column]
    utility_target = _perceived_utility(tables, perceiver, beneficiary, targets)
    resist = tables.total_salience[targets]
    gain = (
        (1.0 - resist) * 2.0 * utility_initiator
        + resist * (win * 2.0 * utility_initiator + (1.0 - win) * 2.0 * utility_target)
        - (utility_initiator + utility_target)
    )
    return win, gain


def _perceived_utility(
    tables: _PerceptionTables,
    perceiver: NDArray[np.intp],
    actor: NDArray[np.intp],
    options: NDArray[np.intp],
) -> NDArray[np.float64]:
    """U^h[k, m] for rows (h, k) and options (rows, T)."""
    rho = tables.perceived_risk[perceiver, actor][:, None]
    column = actor[:, None]
    return tables.value[options, column] + tables.slope[options, column] * rho


def _challenge_rows(
    tables: _PerceptionTables,
    perceiver: NDArray[np.intp],
    beneficiary: NDArray[np.intp],
    initiator: NDArray[np.intp],
    targets: NDArray[np.intp] | None,
    parameters: SMPParameters,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """:func:`_challenge_block` over cache-sized chunks of rows."""
    n_actors = tables.influence.size
    n_targets = n_actors if targets is None else targets.shape[1]
    probability = np.empty((perceiver.size, n_targets))
    gain = np.empty((perceiver.size, n_targets))
    rows_per_chunk = max(1, _CACHE_ELEMENTS // (n_targets * n_actors))
    for start in range(0, perceiver.size, rows_per_chunk):
        chunk = slice(start, start + rows_per_chunk)
        probability[chunk], gain[chunk] = _challenge_block(
            tables,
            perceiver[chunk],
            beneficiary[chunk],
            initiator[chunk],
            None if targets is None else targets[chunk],
            parameters,
        )
    return probability, gain


def challenge_outcomes(
    perceiver: ArrayLike,
    beneficiary: ArrayLike,
    initiator: ArrayLike,
    target: ArrayLike,
    capability: NDArray[np.float64],
    salience: NDArray[np.float64],
    assessment: StateAssessment,
    parameters: SMPParameters = SMPParameters(),
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """E(h; k; i -> j) of A.5 for arrays of (h, k, i, j), vectorised.

    h's estimate of P, the probability that i beats j, and of Delta, the
    expected gain to k if i challenges j. All utilities are h's perceived
    ones, U^h_nm = u(D_nm, rho_hn) (A.4.6).

      1. Principals: a_i = v(S_i c_i, U_ii, U_ij), a_j = v(S_j c_j, U_ji, U_jj);
         B_i = 1e-10 + positive parts, B_j = 1e-10 + |negative parts|.
      2. Each third party n (weight w_n = S_n c_n) casts a preliminary vote
         v0 = v(w_n, U_ni, U_nj), sees the little-coalition probability
         pi_n = (B_i + max(v0, 0)) / (B_i + B_j + |v0|) (principals only),
         values joining i as E_i = pi_n (n joins i, i wins) + (1 - pi_n)
         (n joins i, j wins) and joining j as E_j likewise, each outcome a
         sum of three position utilities set by ThirdPartyCommit, and adds
         its final vote v(w_n, E_i, E_j) to C_i if positive, to C_j if not.
      3. P = C_i / (C_i + C_j).
      4. Delta = (1 - S_j) 2U_ki + S_j [P 2U_ki + (1 - P) 2U_kj] - (U_ki + U_kj).

    Returns (P, Delta), each of the broadcast shape of the index arrays.
    """
    perceiver, beneficiary, initiator, target = np.broadcast_arrays(
        *(np.asarray(index, dtype=np.intp) for index in (perceiver, beneficiary, initiator, target))
    )
    shape = perceiver.shape
    tables = _perception_tables(capability, salience, assessment, parameters)
    probability, gain = _challenge_rows(
        tables,
        perceiver.ravel(),
        beneficiary.ravel(),
        initiator.ravel(),
        target.reshape(-1, 1),
        parameters,
    )
    return probability.reshape(shape), gain.reshape(shape)


def choose_targets(
    capability: NDArray[np.float64],
    salience: NDArray[np.float64],
    assessment: StateAssessment,
    parameters: SMPParameters = SMPParameters(),
) -> tuple[NDArray[np.intp], NDArray[np.float64], NDArray[np.float64]]:
    """Each actor's best target (A.6.2).

    For each i, (P_ij, Delta_ij) = E(i; i; i -> j) for every j != i; the
    target is the j with the largest Delta > 1e-5, ties to the smallest j.

    Returns (target, probability, gain), each (n_actors,); target is -1
    for an actor that makes no challenge (probability and gain are then
    those of its best, insufficient, option).
    """
    n_actors = capability.size
    actors = np.arange(n_actors)
    tables = _perception_tables(capability, salience, assessment, parameters)
    probability, gain = _challenge_rows(tables, actors, actors, actors, None, parameters)
    gain[actors, actors] = -np.inf
    best = np.argmax(gain, axis=1)
    best_gain = gain[actors, best]
    chosen = np.where(best_gain > MINIMUM_SIGNIFICANT_GAIN, best, -1)
    return chosen, probability[actors, best], best_gain


# --------------------------------------------------------------------------
# A.6 Bargains and queues


def _round_half_up(values: NDArray[np.float64]) -> NDArray[np.float64]:
    scale = 10.0**BARGAIN_DECIMALS
    return np.floor(scale * values + 0.5) / scale


def interpolate_bargains(
    initiator_position: NDArray[np.float64],
    target_position: NDArray[np.float64],
    initiator_salience: NDArray[np.float64],
    target_salience: NDArray[np.float64],
    initiator_probability: NDArray[np.float64],
    method: InterVecBargain = InterVecBargain.S2P2,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Positions a bargain offers to its initiator and to its target (A.6.3).

    Arrays are (n_bargains, n_dims), the probability (n_bargains,).
    S2P2 weights each side by (s_k p)^2, S1P1 by s_k p; the receiving
    side's own weight gets 1e-6 and the result is rounded half up to 4
    decimals, which is why the two offers can differ. S2PMax moves the
    weaker side by delta s_other^2 / (delta s_other^2 + 1e-6 + (1 - delta)
    s_own^2), unrounded.
    """
    p_i = np.asarray(initiator_probability, dtype=float)[:, None]
    p_j = 1.0 - p_i
    t_i, t_j = initiator_position, target_position
    s_i, s_j = initiator_salience, target_salience
    if method is InterVecBargain.S2PMAX:
        advantage_i = np.maximum(0.0, p_j - p_i)
        advantage_j = np.maximum(0.0, p_i - p_j)
        share_i = (
            advantage_i
            * s_j**2
            / (advantage_i * s_j**2 + BARGAIN_WEIGHT_FLOOR + (1.0 - advantage_i) * s_i**2)
        )
        share_j = (
            advantage_j
            * s_i**2
            / (advantage_j * s_i**2 + BARGAIN_WEIGHT_FLOOR + (1.0 - advantage_j) * s_j**2)
        )
        return t_i + share_i * (t_j - t_i), t_j + share_j * (t_i - t_j)
    if method is InterVecBargain.S2P2:
        weight_i, weight_j = (s_i * p_i) ** 2, (s_j * p_j) ** 2
    else:
        weight_i, weight_j = s_i * p_i, s_j * p_j
    total = weight_i + weight_j + BARGAIN_WEIGHT_FLOOR
    offer_i = ((weight_i + BARGAIN_WEIGHT_FLOOR) * t_i + weight_j * t_j) / total
    offer_j = (weight_i * t_i + (weight_j + BARGAIN_WEIGHT_FLOOR) * t_j) / total
    return _round_half_up(offer_i), _round_half_up(offer_j)


@dataclass(frozen=True)
class _Bargains:
    initiator: NDArray[np.intp]
    receiver: NDArray[np.intp]
    initiator_offer: NDArray[np.float64]
    receiver_offer: NDArray[np.float64]


def _form_bargains(
    challengers: NDArray[np.intp],
    targets: NDArray[np.intp],
    probability: NDArray[np.float64],
    capability: NDArray[np.float64],
    positions: NDArray[np.float64],
    salience: NDArray[np.float64],
    assessment: StateAssessment,
    parameters: SMPParameters,
) -> _Bargains:
    """Bargains of A.6.3-4, in initiator order (two per challenge for InitRcvrInterp)."""
    method = parameters.inter_vec_bargain

    def interpolate(weight: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        return interpolate_bargains(
            positions[challengers],
            positions[targets],
            salience[challengers],
            salience[targets],
            weight,
            method,
        )

    offer_i, offer_j = interpolate(probability)
    if parameters.bargain_model is BargainModel.INIT_ONLY_INTERP:
        return _Bargains(challengers, targets, offer_i, offer_j)
    # KTAB quirk kept on purpose (A.6.4): the receiver's bargain uses j's
    # estimate of i's expected *gain* in place of a probability.
    _, receiver_view = challenge_outcomes(
        targets, challengers, challengers, targets, capability, salience, assessment, parameters
    )
    receiver_i, receiver_j = interpolate(receiver_view)
    if parameters.bargain_model is BargainModel.INIT_RCVR_INTERP:
        count = challengers.size
        order = np.arange(2 * count).reshape(2, count).T.ravel()
        return _Bargains(
            np.concatenate([challengers, challengers])[order],
            np.concatenate([targets, targets])[order],
            np.concatenate([offer_i, receiver_i])[order],
            np.concatenate([offer_j, receiver_j])[order],
        )
    total_salience = salience.sum(axis=1)
    # KTAB quirk kept on purpose (A.6.4): both weights use the initiator's capability.
    weight_i = (capability[challengers] * total_salience[challengers])[:, None]
    weight_j = (capability[challengers] * total_salience[targets])[:, None]
    return _Bargains(
        challengers,
        targets,
        (weight_i * offer_i + weight_j * receiver_i) / (weight_i + weight_j),
        (weight_i * offer_j + weight_j * receiver_j) / (weight_i + weight_j),
    )


def _bargain_utilities(
    bargains: _Bargains,
    positions: NDArray[np.float64],
    salience: NDArray[np.float64],
    assessment: StateAssessment,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Average utilities of A.6.5: for SQ (n,), and per bargain (n, n_bargains)."""
    utility = assessment.risk_aware_utility
    risk = assessment.risk_attitude
    n_actors = positions.shape[0]
    row_total = utility.sum(axis=1)
    status_quo = row_total / n_actors
    n_bargains = bargains.initiator.size
    if n_bargains == 0:
        return status_quo, np.empty((n_actors, 0))
    shape = (n_bargains, n_actors, positions.shape[1])
    offer_i = weighted_distances(
        positions, salience, np.broadcast_to(bargains.initiator_offer[:, None, :], shape)
    )
    offer_j = weighted_distances(
        positions, salience, np.broadcast_to(bargains.receiver_offer[:, None, :], shape)
    )
    unchanged = (
        row_total[None, :] - utility[:, bargains.initiator].T - utility[:, bargains.receiver].T
    )
    averaged = (
        spatial_utility(offer_i, risk[None, :])
        + spatial_utility(offer_j, risk[None, :])
        + unchanged
    ) / n_actors
    return status_quo, averaged.T


def _resolve_queues(
    capability: NDArray[np.float64],
    positions: NDArray[np.float64],
    salience: NDArray[np.float64],
    assessment: StateAssessment,
    bargains: _Bargains,
    parameters: SMPParameters,
) -> list[tuple[NDArray[np.intp], NDArray[np.float64]]]:
    """Each actor's queue (A.6.1, A.6.5) and its PCE: [(bargain indices, pi)] per actor.

    A queue is the status quo followed by the bargains the actor is part
    of, in bargain (initiator) order. Queues of equal length are elected
    together, as one batch.
    """
    n_actors = capability.size
    queues: list[list[int]] = [[] for _ in range(n_actors)]
    for bargain, (initiator, receiver) in enumerate(
        zip(bargains.initiator, bargains.receiver, strict=True)
    ):
        queues[initiator].append(bargain)
        queues[receiver].append(bargain)
    status_quo, bargain_utility = _bargain_utilities(bargains, positions, salience, assessment)
    elections: list[tuple[NDArray[np.intp], NDArray[np.float64]]] = [
        (np.asarray(queue, dtype=np.intp), np.ones(1)) for queue in queues
    ]
    lengths = np.array([len(queue) for queue in queues])
    for length in np.unique(lengths[lengths > 0]):
        members = np.flatnonzero(lengths == length)
        entries = np.array([queues[actor] for actor in members], dtype=np.intp)
        options = np.empty((members.size, n_actors, length + 1))
        options[:, :, 0] = status_quo
        options[:, :, 1:] = np.moveaxis(bargain_utility[:, entries], 0, 1)
        probability = probabilistic_condorcet_election(
            capability,
            options,
            parameters.voting_rule,
            parameters.victory_prob_model,
            parameters.pce_model,
        )
        for row, actor in enumerate(members):
            elections[actor] = (entries[row], probability[row])
    return elections


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
    moves = [
        Move(
            round=round_number,
            kind="challenge",
            actor=int(i),
            counterpart=int(j),
            position=tuple(float(v) for v in offer),
            probability=float(probability[i]),
            gain=float(gain[i]),
        )
        for i, j, offer in zip(
            challengers,
            chosen_targets,
            bargains.initiator_offer[::bargains_per_challenge],
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
            winner = int(np.argmax(election))
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
                position=tuple(float(v) for v in offer),
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
    state by state (tests/forecast/test_smp.py).
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
