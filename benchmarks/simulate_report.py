"""Benchmark of the simulation (``simulate.py``): per-setting results, targets and tables."""

from __future__ import annotations

import math
from dataclasses import dataclass

from simulate_cases import (
    CLOSENESS_TARGET,
    LARGE_SPEEDUP_TARGET,
    MATCHED_STRATEGY,
    ROUNDS,
    SPEEDUP_TARGET,
    WORKING_MEMORY_TARGET,
    Setting,
    Tally,
)


@dataclass
class SettingResult:
    setting: Setting
    pool_size: float
    """Mean number of candidate packages truce's proposers choose from."""
    negmas: Tally
    truce: list[Tally]
    """truce "boulware" at the default noise, then (fixed preferences only) the matched exponent and the diagnostic replica."""

    @property
    def headline(self) -> Tally:
        return self.truce[0]

    @property
    def matched(self) -> Tally | None:
        return self.truce[1] if len(self.truce) > 1 else None

    @property
    def replica(self) -> Tally | None:
        return self.truce[2] if len(self.truce) > 2 else None

    @property
    def speedup(self) -> float:
        return self.headline.per_second / self.negmas.per_second

    @property
    def cpu_speedup(self) -> float:
        """Speed-up per CPU-second (truce may run its chunks on several threads; NegMAS uses one)."""
        return (self.negmas.cpu_seconds / self.negmas.negotiations) / (self.headline.cpu_seconds / self.headline.negotiations)


def largest_difference(tally: Tally, reference: Tally) -> tuple[float, float | None]:
    """|difference| in agreement rate, and the largest over parties in mean utility (None if either never agreed)."""
    agreement = abs(tally.agreement_rate - reference.agreement_rate)
    if tally.mean_utilities is None or reference.mean_utilities is None:
        return agreement, None
    return agreement, max(abs(a - b) for a, b in zip(tally.mean_utilities, reference.mean_utilities))


@dataclass
class MemoryRun:
    runs: int
    seconds: float
    peak_mib: float
    """tracemalloc peak during one (separate, untimed) simulate call."""
    retained_mib: float
    """Still allocated when the call has returned: what the SimulationResult keeps (its per-run arrays)."""
    rss_working_mib: float = math.nan
    """Whole process, fresh (memory.py): peak resident memory less that before the call and the result's arrays."""

    @property
    def per_second(self) -> float:
        return self.runs / self.seconds

    @property
    def working_mib(self) -> float:
        """Freed by the end of the call: chunks in play, inputs drawn up front, intermediate copies."""
        return self.peak_mib - self.retained_mib


def memory_slope(rows: list[MemoryRun]) -> tuple[float, float]:
    """Peak memory as ``fixed + per_run * runs`` through the two largest sizes: (fixed MiB, bytes per run)."""
    small, large = rows[-2], rows[-1]
    per_run = (large.peak_mib - small.peak_mib) * 2**20 / (large.runs - small.runs)
    return large.peak_mib - per_run * large.runs / 2**20, per_run


# --- targets -------------------------------------------------------------------


def targets(results: list[SettingResult], memory: list[MemoryRun]) -> list[dict]:
    by_key = {r.setting.key: r for r in results}
    rows = []

    def speed_row(key: str, minimum: float, extra: str = "", beat: SettingResult | None = None) -> None:
        result = by_key[key]
        passed = result.speedup >= minimum and (beat is None or result.speedup > beat.speedup)
        rows.append(
            {
                "target": f">= {minimum:,.0f}x NegMAS's negotiations/s, {result.setting.description}{extra}",
                "measured": result.speedup,
                "status": "PASS" if passed else "FAIL",
                "detail": f"{result.speedup:,.0f}x ({result.cpu_speedup:,.0f}x per CPU-second)",
            }
        )

    speed_row("a", SPEEDUP_TARGET)
    speed_row("au", SPEEDUP_TARGET)
    speed_row("cu", SPEEDUP_TARGET)
    speed_row("b", LARGE_SPEEDUP_TARGET)
    for key in ("a", "b"):
        result = by_key[key]
        agreement, utility = largest_difference(result.matched, result.negmas)
        passed = agreement <= CLOSENESS_TARGET and utility is not None and utility <= CLOSENESS_TARGET
        rows.append(
            {
                "target": f'agreement rate and mean utilities within {CLOSENESS_TARGET} of NegMAS, {result.setting.description}, truce "{MATCHED_STRATEGY}"',
                "measured": max(agreement, utility if utility is not None else math.inf),
                "status": "PASS" if passed else "FAIL",
                "detail": f"agreement {agreement:.3f}, utilities {'-' if utility is None else f'{utility:.3f}'}",
            }
        )
    # NegMAS's rules can be replayed exactly only bilaterally and when truce's pool is the whole space
    # (above ENUMERATE_UP_TO packages the pool is the Pareto frontier, which NegMAS's offers leave)
    exact = [r for r in results if r.setting.n_parties == 2 and r.pool_size == r.setting.n_outcomes and r.replica is not None]
    same, total = sum(r.replica.same_as_negmas for r in exact), sum(r.setting.problems for r in exact)
    rows.append(
        {
            "target": "diagnostic: NegMAS's rules in truce's engine reach NegMAS's exact deal on every bilateral problem whose pool is the whole space ("
            + ", ".join(f"({r.setting.key})" for r in exact)
            + ")",
            "measured": same / total if total else None,
            "status": "PASS" if total and same == total else "FAIL" if total else "NOT RUN",
            "detail": f"{same} of {total} problems",
        }
    )
    worst = max(max(m.working_mib, m.rss_working_mib) for m in memory)
    rows.append(
        {
            "target": f"working memory (peak less what the result keeps) <= {WORKING_MEMORY_TARGET:g} MiB from {memory[0].runs:,} to {memory[-1].runs:,} runs at the defaults, tracemalloc and whole-process RSS",
            "measured": worst,
            "status": "PASS" if worst <= WORKING_MEMORY_TARGET else "FAIL",
            "detail": ", ".join(f"{m.runs:,}: {m.working_mib:,.1f} / {m.rss_working_mib:,.1f} MiB" for m in memory),
        }
    )
    return rows


# --- formatting ------------------------------------------------------------------


def _rate(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:,.1f}/s" if x < 100 else f"{x:,.0f}/s"


def _utilities(values: list[float] | None) -> str:
    return "-" if values is None else " ".join(f"{v:.3f}" for v in values)


def tables(results: list[SettingResult], memory: list[MemoryRun], target_rows: list[dict]):
    speed_table = (
        f"Negotiations per second, Boulware vs Boulware, {ROUNDS} rounds (truce \"boulware\")",
        [
            "problem",
            "outcomes",
            "problems",
            "NegMAS negotiations",
            "NegMAS",
            "truce runs",
            "truce pool",
            "truce",
            "speed-up",
            "per CPU-s",
        ],
        [
            [
                r.setting.description,
                f"{r.setting.n_outcomes:,}",
                str(r.setting.problems),
                f"{r.negmas.negotiations:,}",
                _rate(r.negmas.per_second),
                f"{r.headline.negotiations:,}",
                f"{r.pool_size:,.0f}",
                _rate(r.headline.per_second),
                f"{r.speedup:,.0f}x",
                f"{r.cpu_speedup:,.0f}x",
            ]
            for r in results
        ],
    )
    outcome_rows = []
    for r in results:
        for tally in [r.negmas, *r.truce]:
            agreement, utility = largest_difference(tally, r.negmas)
            reference = tally is r.negmas
            outcome_rows.append(
                [
                    f"({r.setting.key})",
                    tally.label,
                    f"{tally.negotiations:,}",
                    _rate(tally.per_second),
                    f"{tally.agreement_rate:.3f}",
                    "-" if tally.mean_round is None else f"{tally.mean_round:.1f}",
                    _utilities(tally.mean_utilities),
                    "-" if reference else f"{agreement:.3f}",
                    "-" if reference or utility is None else f"{utility:.3f}",
                    "-" if reference else f"{tally.same_as_negmas} / {r.setting.problems}",
                ]
            )
    outcome_table = (
        "What the negotiations reach (means over the problems; rounds = offers until the agreed one, from 1)",
        [
            "problem",
            "configuration",
            "negotiations",
            "rate",
            "agreement",
            "mean round",
            "mean utility per party",
            "|d agreement|",
            "max |d utility|",
            "same deal",
        ],
        outcome_rows,
    )
    fixed, per_run = memory_slope(memory)
    memory_table = (
        'truce memory as runs grow, problem (au) #0, "boulware", noise 0.1 (the defaults)',
        ["runs", "time", "rate", "peak memory (tracemalloc)", "kept by the result", "working (peak - kept)", "working, whole process (RSS)", "peak / run"],
        [
            [
                f"{m.runs:,}",
                f"{m.seconds:.2f} s",
                _rate(m.per_second),
                f"{m.peak_mib:,.1f} MiB",
                f"{m.retained_mib:,.1f} MiB",
                f"{m.working_mib:,.1f} MiB",
                f"{m.rss_working_mib:,.1f} MiB",
                f"{m.peak_mib * 2**20 / m.runs:,.0f} B",
            ]
            for m in memory
        ]
        + [["peak fit", "", "", f"{fixed:,.1f} MiB + {per_run:,.0f} B/run", "", "", "", ""]],
    )
    target_table = (
        "Targets",
        ["target", "measured", "result"],
        [[row["target"], row["detail"], row["status"]] for row in target_rows],
    )
    return [speed_table, outcome_table, memory_table, target_table]

