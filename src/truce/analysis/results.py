"""Result objects of the agreement-space analysis: arrays plus named figures,
with ``to_dict()`` (JSON-safe) and ``to_frame()`` (pandas)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pandas is imported by to_frame() only: it costs ~0.5 s of start-up
    import pandas as pd


def _number(x: float) -> float | None:
    return None if x is None or not np.isfinite(x) else float(x)


@dataclass(frozen=True, eq=False)
class ParetoFrontier:
    """The Pareto-optimal packages and their utilities."""

    packages: np.ndarray
    """(F, n_issues) option indices."""
    utilities: np.ndarray
    """(F, n_parties)."""
    multiplicity: np.ndarray | None
    """(F,) packages in the whole space reaching each utility vector (exact frontier only)."""
    epsilon: float | None
    """None: exact. Otherwise every package is within epsilon of a weakly better returned point."""
    party_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    n_outcomes: int

    def __len__(self) -> int:
        return len(self.packages)

    @property
    def exact(self) -> bool:
        return self.epsilon is None

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        frame = pd.DataFrame(self.packages, columns=list(self.issue_ids))
        for p, party in enumerate(self.party_ids):
            frame[f"u_{party}"] = self.utilities[:, p]
        if self.multiplicity is not None:
            frame["multiplicity"] = self.multiplicity
        return frame

    def to_dict(self) -> dict:
        return {
            "exact": self.exact,
            "epsilon": self.epsilon,
            "approximation": None
            if self.exact
            else f"every package is within {self.epsilon:g} (each party's utility) of a weakly better point listed",
            "n_points": len(self),
            "n_outcomes": self.n_outcomes,
            "packages": self.packages.tolist(),
            "utilities": np.round(self.utilities, 12).tolist(),
            "multiplicity": None if self.multiplicity is None else self.multiplicity.tolist(),
        }


@dataclass(frozen=True, eq=False)
class Solution:
    """One solution concept's package, in words and in utilities."""

    name: str
    package: np.ndarray
    terms: dict[str, str]
    utilities: np.ndarray
    gains: np.ndarray
    """Utility over no deal, per party."""
    party_ids: tuple[str, ...]
    tied: tuple[dict[str, str], ...] = ()
    """Other frontier packages with the same score under this concept, in frontier order: only the
    tie-break (the larger sum of utilities, then the larger smallest gain) chose ``terms`` over them."""
    same_utilities: int | None = None
    """Packages of the whole space worth exactly what ``terms`` is worth to every party (1: none other;
    None: not counted, with an approximate frontier)."""

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "package": self.package.tolist(),
            "terms": dict(self.terms),
            "tied": [dict(terms) for terms in self.tied],
            "same_utilities": self.same_utilities,
            "utilities": {p: float(u) for p, u in zip(self.party_ids, self.utilities)},
            "gains": {p: float(g) for p, g in zip(self.party_ids, self.gains)},
        }


@dataclass(frozen=True, eq=False)
class Zopa:
    """The zone of possible agreement: packages every party strictly prefers to no deal."""

    exists: bool
    count: float
    """Number of such packages (an int when ``exact``)."""
    exact: bool
    interval: tuple[float, float]
    """95% interval of the count (the count itself when exact)."""
    n_outcomes: int
    frontier_low: np.ndarray
    """Per party, the lowest utility among efficient packages in the ZOPA."""
    frontier_high: np.ndarray
    """Per party, the highest utility in the ZOPA."""
    reservation: np.ndarray
    party_ids: tuple[str, ...]

    @property
    def share(self) -> float:
        """Fraction of the whole space that is in the ZOPA."""
        return float(self.count) / self.n_outcomes

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            {
                "party": list(self.party_ids),
                "no_deal": self.reservation,
                "efficient_low": self.frontier_low,
                "best": self.frontier_high,
            }
        )

    def to_dict(self) -> dict:
        return {
            "exists": self.exists,
            "count": self.count if self.exact else float(self.count),
            "exact": self.exact,
            "interval": [float(self.interval[0]), float(self.interval[1])],
            "n_outcomes": self.n_outcomes,
            "share": self.share,
            "parties": {
                p: {
                    "no_deal": float(r),
                    "efficient_low": _number(lo),
                    "best": _number(hi),
                }
                for p, r, lo, hi in zip(self.party_ids, self.reservation, self.frontier_low, self.frontier_high)
            },
        }


@dataclass(frozen=True, eq=False)
class Analysis:
    """The agreement space of a problem: frontier, ZOPA and solution concepts."""

    problem_name: str
    party_ids: tuple[str, ...]
    party_names: tuple[str, ...]
    issue_names: tuple[str, ...]
    frontier: ParetoFrontier
    zopa: Zopa
    solutions: list[Solution]
    no_deal: np.ndarray

    def solution(self, name_start: str) -> Solution | None:
        return next((s for s in self.solutions if s.name.lower().startswith(name_start.lower())), None)

    def to_frame(self) -> pd.DataFrame:
        """One row per solution concept: its terms and each party's utility and gain."""
        import pandas as pd

        rows = []
        for s in self.solutions:
            row = {"solution": s.name, **s.terms}
            row.update({f"u_{p}": u for p, u in zip(self.party_ids, s.utilities)})
            row.update({f"gain_{p}": g for p, g in zip(self.party_ids, s.gains)})
            rows.append(row)
        return pd.DataFrame(rows)

    def to_dict(self) -> dict:
        return {
            "problem": self.problem_name,
            "parties": dict(zip(self.party_ids, self.party_names)),
            "no_deal": {p: float(r) for p, r in zip(self.party_ids, self.no_deal)},
            "zopa": self.zopa.to_dict(),
            "solutions": [s.to_dict() for s in self.solutions],
            "frontier": self.frontier.to_dict(),
        }
