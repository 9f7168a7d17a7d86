"""Caps on the work one scenario or one command may ask for, shared by the CLI and the server.

Every cap is checked before any work starts, so an input over a cap is
refused at once with a message that names the cap, its value and the
environment variable that changes it (see ``docs/reference/limits.md``)::

    --rounds: found 1000000000; expected at most 100,000 (cap TRUCE_MAX_ROUNDS, see docs/reference/limits.md)

Python callers pass their own :class:`Limits` (``Limits(max_runs=1000)``) or
read the environment with :meth:`Limits.from_env`. This module imports
nothing else from truce, so every layer may use it.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, fields

DOCS = "docs/reference/limits.md"
ENV_PREFIX = "TRUCE_"
FRONTIER_OUTCOMES = ((2, 10**15), (3, 10**15), (4, 10**12), (5, 10**10), (6, 10**8), (10, 10**6), (30, 10**5), (100, 10**4))
"""Default packages in the product space over which the exact or approximate Pareto frontier is computed,
by number of parties: about the largest power of ten whose exact frontier took at most ~6 s of CPU on random
independent preferences with the k-d tree method (truce.analysis.skyline); see docs/reference/limits.md for the
measured cost behind each entry."""


@dataclass(frozen=True)
class Limits:
    """The caps, with defaults that suit one analyst on a laptop (2 cores, 8 GiB).

    Each field ``max_x`` is set from the environment variable ``TRUCE_MAX_X`` by :meth:`from_env`.
    """

    max_file_bytes: int = 2 * 1024 * 1024
    """Size of a scenario file or text."""
    max_nodes: int = 1_000_000
    """Values (mappings, lists and scalars) in a scenario once YAML aliases are expanded."""
    max_depth: int = 32
    """Nesting of mappings and lists (a scenario needs about 8)."""
    max_actors: int = 1000
    max_parties: int = 100
    max_issues: int = 200
    max_options: int = 1001
    """Options of one issue (grid points of a numeric issue)."""
    max_outcomes: int = 10**15
    """Packages in the product space (the product of the issues' option counts)."""
    max_runs: int = 10_000_000
    """Monte Carlo runs of one simulation."""
    max_rounds: int = 100_000
    """Deadline, in rounds, of one simulated negotiation; also the rounds of a dynamic forecast."""
    max_memory_mb: int = 2048
    """Memory a Monte Carlo simulation may hold for its inputs and results over all runs (MiB);
    the per-chunk working arrays are sized separately to stay within about 32 MiB each."""
    max_run_rounds: int = 100_000_000
    """Simulated negotiation rounds of one command: runs x rounds, summed over the simulations it runs
    (phases, what-if variants, sensitivity settings)."""
    max_levers: int = 200
    """Levers of one scenario (a what-if runs one simulation per lever)."""
    max_forecast_work: int = 5_000_000_000
    """Rounds x actors^3 x issues of a dynamic forecast (SMP, expected utility): each round weighs every
    pair of actors' contest by every actor's support."""
    max_outcomes_by_parties: tuple[tuple[int, int], ...] = FRONTIER_OUTCOMES
    """Packages the Pareto frontier may range over, by number of parties: the entry of the smallest
    listed party count at or above the scenario's (the frontier's cost grows with the parties).
    Environment: ``TRUCE_MAX_OUTCOMES_BY_PARTIES="2=1e15,3=1e8"`` replaces the listed entries."""

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Limits":
        """The defaults, overridden by ``TRUCE_MAX_*`` environment variables (positive integers)."""
        environ = os.environ if environ is None else environ
        chosen = {}
        for field in fields(cls):
            name = env_name(field.name)
            if name not in environ:
                continue
            if field.name == "max_outcomes_by_parties":
                chosen[field.name] = _party_table(name, environ[name])
                continue
            text = environ[name].strip().replace("_", "").replace(",", "")
            if not text.isdigit() or int(text) < 1 or len(text) > 30:
                raise LimitError(f"{name}: found {environ[name][:40]!r}; expected a positive whole number")
            chosen[field.name] = int(text)
        return cls(**chosen)


    def frontier_outcomes(self, parties: int) -> int:
        """Packages the frontier may range over with this many parties (0 past the table's last entry)."""
        return next((most for count, most in sorted(self.max_outcomes_by_parties) if count >= parties), 0)


def _party_table(name: str, text: str) -> tuple[tuple[int, int], ...]:
    table = dict(FRONTIER_OUTCOMES)
    for item in filter(None, (part.strip() for part in text.split(","))):
        parties, _, most = item.partition("=")
        try:
            count, value = int(parties), float(most)
        except ValueError:
            count, value = 0, 0.0
        if count < 1 or not 1 <= value < 1e30 or value != int(value):
            raise LimitError(f"{name}: found {item[:40]!r}; expected PARTIES=PACKAGES pairs, e.g. 2=1e15,3=1e8")
        table[count] = int(value)
    return tuple(sorted(table.items()))


class LimitError(ValueError):
    """An input over a cap; the message names the cap and where to change it."""

    def __init__(self, message: str, path: str = ""):
        super().__init__(message)
        self.path = path


def env_name(field_name: str) -> str:
    """``max_rounds`` -> ``TRUCE_MAX_ROUNDS``."""
    return ENV_PREFIX + field_name.upper()


def over(what: str, found: int, most: int, field_name: str, *, unit: str = "") -> LimitError:
    """The error for ``found`` above the cap ``most`` (field ``field_name`` of :class:`Limits`)."""
    shown = f"{found:,}" if found < 10**15 else f"about 10^{len(str(found)) - 1}"
    unit = f" {unit}" if unit else ""
    return LimitError(
        f"found {shown}{unit}; expected at most {most:,}{unit} (cap {env_name(field_name)}, see {DOCS})", what
    )


def _check(what: str, found: int, most: int, field_name: str, unit: str = "") -> None:
    if found > most:
        error = over(what, found, most, field_name, unit=unit)
        raise LimitError(f"{what}: {error}", what)


def check_runs(runs: int, limits: Limits, what: str = "--runs") -> None:
    if runs < 1:
        raise LimitError(f"{what}: found {runs}; expected at least 1", what)
    _check(what, runs, limits.max_runs, "max_runs")


def check_rounds(rounds: int, limits: Limits, what: str = "--rounds") -> None:
    if rounds < 1:
        raise LimitError(f"{what}: found {rounds}; expected at least 1", what)
    _check(what, rounds, limits.max_rounds, "max_rounds")


def check_size(actors: int, parties: int, option_counts: list[int], limits: Limits) -> None:
    """Actors, parties, issues, options per issue and the product space of a scenario."""
    _check("actors", actors, limits.max_actors, "max_actors", "actors")
    _check("actors", parties, limits.max_parties, "max_parties", "parties")
    _check("issues", len(option_counts), limits.max_issues, "max_issues", "issues")
    for index, count in enumerate(option_counts):
        _check(f"issues[{index}]", count, limits.max_options, "max_options", "options")
    _check("issues", math.prod(option_counts), limits.max_outcomes, "max_outcomes", "packages")


def simulation_bytes(runs: int, parties: int, issues: int, uncertain_inputs: int) -> int:
    """Bytes a Monte Carlo simulation holds over all its runs: the draws of the uncertain inputs,
    the per-run payoff inputs (about ten per party), per-run preferences when those are uncertain
    (weights, positions, tolerances: three per party and issue) and the results (a package and
    each party's utility). An upper bound: fields that do not vary are not materialised."""
    per_run = uncertain_inputs + 10 * parties + 3 * parties * issues + issues + parties + 4
    return 8 * runs * per_run


def check_simulation_memory(runs: int, parties: int, issues: int, uncertain_inputs: int, limits: Limits, what: str = "--runs") -> None:
    needed = simulation_bytes(runs, parties, issues, uncertain_inputs)
    budget = limits.max_memory_mb * 1024 * 1024
    if needed > budget:
        most = max(1, budget // max(1, needed // runs))
        raise LimitError(
            f"{what}: found {runs:,} runs of {parties} parties x {issues} issues, which need about "
            f"{needed / 2**20:,.0f} MiB; expected at most {limits.max_memory_mb:,} MiB, i.e. at most {most:,} runs here "
            f"(cap {env_name('max_memory_mb')}, see {DOCS})",
            what,
        )


def check_frontier(parties: int, outcomes: int, limits: Limits, what: str = "issues") -> None:
    """Before computing a Pareto frontier over ``outcomes`` packages among ``parties`` parties."""
    most = limits.frontier_outcomes(parties)
    if outcomes > most:
        shown = f"{outcomes:,}" if outcomes < 10**15 else f"about 10^{len(str(outcomes)) - 1}"
        raise LimitError(
            f"{what}: found {shown} possible packages among {parties} parties; expected at most {most:,} with {parties} parties "
            f"(fewer issues or options, or a coarser numeric step; cap {env_name('max_outcomes_by_parties')}, see {DOCS})",
            what,
        )


def check_work(runs: int, rounds: int, limits: Limits, *, simulations: int = 1, what: str = "--runs", rounds_what: str = "rounds") -> None:
    """Before simulating: the runs, the deadline and their product over every simulation the command runs."""
    check_runs(runs, limits, what)
    check_rounds(rounds, limits, rounds_what)
    total = runs * rounds * simulations
    if total > limits.max_run_rounds:
        times = f" x {simulations:,} simulations" if simulations > 1 else ""
        raise LimitError(
            f"{what}: found {runs:,} runs x {rounds:,} rounds{times} = {total:,} simulated rounds; expected at most "
            f"{limits.max_run_rounds:,} (fewer runs or a shorter deadline; cap {env_name('max_run_rounds')}, see {DOCS})",
            what,
        )


def check_levers(levers: int, limits: Limits) -> None:
    _check("levers", levers, limits.max_levers, "max_levers", "levers")


def check_forecast(rounds: int, actors: int, issues: int, limits: Limits, what: str = "--rounds") -> None:
    """Before a dynamic forecast: rounds x actors^3 x issues (each round weighs every pair of actors' contest by
    every actor's support, on every issue); a forecast of 0 rounds still does one round's work."""
    work = max(1, rounds) * actors**3 * issues
    if work > limits.max_forecast_work:
        raise LimitError(
            f"{what}: found {rounds:,} rounds x {actors:,}^3 actors x {issues:,} issues = {work:,}; expected at most "
            f"{limits.max_forecast_work:,} (fewer rounds, actors or issues; cap {env_name('max_forecast_work')}, see {DOCS})",
            what,
        )
