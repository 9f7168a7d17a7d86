"""The result of a Monte Carlo simulation: per-run arrays and the figures drawn from them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from truce.analysis.zopa import wilson_interval


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """Per run: whether a deal was signed, when, on what terms, and what each party got."""

    protocol: str
    strategies: dict[str, str]
    seed: int
    rounds_limit: int
    party_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    issue_names: tuple[str, ...]
    option_labels: tuple[tuple[str, ...], ...]
    agreed: np.ndarray
    """(N,) bool."""
    rounds: np.ndarray
    """(N,) round of agreement (0-based), of walking away or of breakdown; -1 when the last round (the cap) passed."""
    walked_away: np.ndarray
    broke_down: np.ndarray
    """(N,) bool: the talks broke down (breakdown risk)."""
    first_proposer: np.ndarray | None
    """(N,) index of the party who proposed first in each run (alternating offers; None for the single text)."""
    packages: np.ndarray
    """(N, n_issues) option indices of the agreed package, -1 without a deal."""
    utilities: np.ndarray
    """(N, n_parties) utility of the agreed package in that run, NaN without a deal."""
    reservation: np.ndarray
    """(N, n_parties) no-deal value drawn for each run."""
    trust: np.ndarray
    """(N, n_parties) trust after guarantees and monitoring, per run."""
    samples: object = None
    """The per-run draws of every uncertain input (truce.problem.Samples)."""
    noise: float | None = None
    """Log-normal spread of each party's estimate of the others' weights (alternating offers)."""
    mediator_noise: float | None = None
    """The same for the single-text mediator's prior estimate and its hearing of each critique."""

    @property
    def runs(self) -> int:
        return len(self.agreed)

    @property
    def agreement_rate(self) -> float:
        return float(self.agreed.mean())

    @property
    def agreement_interval(self) -> tuple[float, float]:
        """Wilson 95% interval of P(deal within the deadline)."""
        return wilson_interval(int(self.agreed.sum()), self.runs)

    @property
    def walk_away_rate(self) -> float:
        return float(self.walked_away.mean())

    @property
    def breakdown_rate(self) -> float:
        return float(self.broke_down.mean())

    @property
    def cap_reached(self) -> np.ndarray:
        """(N,) bool: runs still open after the last round (the deadline, or only a safety cap)."""
        return ~(self.agreed | self.walked_away | self.broke_down)

    @property
    def cap_rate(self) -> float:
        return float(self.cap_reached.mean())

    def first_proposer_shares(self) -> dict[str, float] | None:
        """Share of runs each party proposed first in (alternating offers)."""
        if self.first_proposer is None:
            return None
        counts = np.bincount(self.first_proposer, minlength=len(self.party_ids))
        return {party: float(c / self.runs) for party, c in zip(self.party_ids, counts)}

    def rounds_to_agreement(self) -> dict[str, float | None]:
        """Mean and quantiles of the round of agreement, among runs that agreed (rounds counted from 1)."""
        rounds = self.rounds[self.agreed] + 1
        if not len(rounds):
            return {"mean": None, "p10": None, "median": None, "p90": None}
        p10, median, p90 = np.quantile(rounds, [0.1, 0.5, 0.9])
        return {"mean": float(rounds.mean()), "p10": float(p10), "median": float(median), "p90": float(p90)}

    def rounds_histogram(self) -> np.ndarray:
        """Counts of agreements in each round: entry i is round i + 1."""
        return np.bincount(self.rounds[self.agreed], minlength=self.rounds_limit)[: self.rounds_limit]

    def option_shares(self) -> dict[str, dict[str, float]]:
        """Per issue, the share of agreements that settled on each option."""
        deals = self.packages[self.agreed]
        shares = {}
        for j, name in enumerate(self.issue_names):
            counts = np.bincount(deals[:, j], minlength=len(self.option_labels[j])) if len(deals) else np.zeros(len(self.option_labels[j]))
            total = max(1, len(deals))
            shares[name] = {label: float(c / total) for label, c in zip(self.option_labels[j], counts)}
        return shares

    def most_common_package(self) -> tuple[dict[str, str], float] | None:
        """The package agreed most often, in words, and its share of agreements."""
        deals = self.packages[self.agreed]
        if not len(deals):
            return None
        unique, counts = np.unique(deals, axis=0, return_counts=True)
        top = unique[np.argmax(counts)]
        terms = {name: self.option_labels[j][top[j]] for j, name in enumerate(self.issue_names)}
        return terms, float(counts.max() / len(deals))

    def mean_utilities(self) -> dict[str, float | None]:
        """Mean utility of the agreed package per party, among runs that agreed."""
        if not self.agreed.any():
            return {p: None for p in self.party_ids}
        return {p: float(u) for p, u in zip(self.party_ids, self.utilities[self.agreed].mean(axis=0))}

    def to_frame(self) -> pd.DataFrame:
        """One row per run; ``round`` counts from 1 (the round of the deal, of walking away or of breakdown;
        empty if the last round passed); ``first_proposer`` is the party id who proposed first (alternating)."""
        ended = pd.array(np.where(self.rounds >= 0, self.rounds + 1, 0), dtype="Int64")
        ended[self.rounds < 0] = pd.NA
        frame = pd.DataFrame(
            {"run": np.arange(self.runs), "agreed": self.agreed, "round": ended, "walked_away": self.walked_away, "broke_down": self.broke_down}
        )
        if self.first_proposer is not None:
            frame["first_proposer"] = np.array(self.party_ids, dtype=object)[self.first_proposer]
        for j, issue in enumerate(self.issue_ids):
            labels = np.array(self.option_labels[j] + ("",), dtype=object)
            frame[issue] = labels[self.packages[:, j]]
        for p, party in enumerate(self.party_ids):
            frame[f"u_{party}"] = self.utilities[:, p]
            frame[f"no_deal_{party}"] = self.reservation[:, p]
            frame[f"trust_{party}"] = self.trust[:, p]
        return frame

    def to_dict(self) -> dict:
        low, high = self.agreement_interval
        common = self.most_common_package()
        return {
            "protocol": self.protocol,
            "strategies": self.strategies,
            "runs": self.runs,
            "seed": self.seed,
            "rounds_limit": self.rounds_limit,
            "noise": self.noise,
            "mediator_noise": self.mediator_noise,
            "agreement_rate": self.agreement_rate,
            "agreement_interval": [low, high],
            "walk_away_rate": self.walk_away_rate,
            "breakdown_rate": self.breakdown_rate,
            "cap_rate": self.cap_rate,
            "first_proposer": None if self.first_proposer is None else np.array(self.party_ids)[self.first_proposer].tolist(),
            "first_proposer_shares": self.first_proposer_shares(),
            "rounds_to_agreement": self.rounds_to_agreement(),
            "rounds_histogram": self.rounds_histogram().tolist(),
            "mean_utilities": self.mean_utilities(),
            "option_shares": self.option_shares(),
            "most_common_package": None if common is None else {"terms": common[0], "share": common[1]},
        }
