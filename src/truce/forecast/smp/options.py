"""The options of KTAB's SMP (FORECAST.md A.1) and the constants KTAB hard-codes."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any, TypeVar


__all__ = [
    "BargainModel",
    "BigRAdjust",
    "BigRRange",
    "InterVecBargain",
    "PCEModel",
    "SMPParameters",
    "StateTransitions",
    "ThirdPartyCommit",
    "VictoryProbModel",
    "VotingRule",
]
"""The SMP's options: the one list the packages above re-export."""


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
