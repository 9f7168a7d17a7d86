"""How long a simulating command will take, estimated before it starts, and the time budget (issue 17).

A Monte Carlo simulation costs about ``setup + runs x per_run``: the setup builds and prunes the
candidate packages (it grows with the space), and one run costs about its rounds x the candidate
packages its parties weigh x the parties (the arrays every round touches). Both depend on the
scenario, the strategies, the protocol, the machine and its load, so no constant per cell holds
for long. Instead a probe times the command's own simulation (:func:`probe`) on a few runs:

1. one run, not counted: the first call of a process loads the compiled kernels and libraries,
   which the command pays once whatever its size;
2. 2 runs, then larger probes (2 to :data:`GROWTH` times the one before: the second sized by
   the first's time per run to take about :data:`PROBE_SECONDS`, the later ones by the spread
   they need). ``setup`` and ``per_run`` come from the straight line through the first and the
   last probe (from the first alone: all of its time per run, an upper bound), and the command's
   estimate is ``simulations x (setup + runs x per_run)``;
3. probing stops once two probes' timing noise (:data:`TIMING_NOISE_SECONDS` each) could move the
   estimate by at most :data:`PRECISION` of it, once the estimate is under
   :data:`SHOW_ABOVE_SECONDS` (nothing to say), or before a probe of more than one simulation's runs
   or a quarter of the command's. On six parties over 390,625 packages, where a run takes about
   0.3 s, the probes are 2 and 4 runs (about 3 s);
4. when the command's own work is one of the simulations probed and the caller keeps its result
   (``keep_within``: a report's first simulation, its back-test), the last probe is that work
   itself, at the command's runs, once they are within one growth step (:data:`GROWTH`) of the
   probe before and the estimate so far is within the budget: the estimate is then measured on a
   whole simulation, and only the small probes are played for nothing. On the flagship report
   the probes are 2 and 64 runs, then its simulation of 2,000 runs, which the report uses.

Times are CPU seconds of the process (all threads), which are steadier under load than wall
time; on a machine the command has to itself, the wall time is about the same or, where large
runs split into chunks on two or more cores, shorter.

Past the budget (:func:`time_budget`: ``TRUCE_MAX_SECONDS``, default :data:`DEFAULT_MAX_SECONDS`)
:func:`check_budget` raises :class:`OverBudget` with the estimate, how many runs fit and how to go
on anyway; the front end has written nothing by then.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass
from typing import Callable

from truce.errors import InputError

DEFAULT_MAX_SECONDS = 600
"""The budget when ``TRUCE_MAX_SECONDS`` is not set: ten minutes."""
BUDGET_VARIABLE = "TRUCE_MAX_SECONDS"
SHOW_ABOVE_SECONDS = 5.0
"""An estimate is printed when it is longer than this."""
TIMING_NOISE_SECONDS = 0.02
"""How far one probe's CPU time may stray from its expected value (the scheduler, caches, garbage collection)."""
PRECISION = 0.25
"""Probing stops once two probes' timing noise could move the estimate by at most this share of it."""
FIRST_PROBE = 2
GROWTH = 32
"""Each probe is 2 to this many times the one before; the second is sized by the first's time per
run to take about :data:`PROBE_SECONDS`, the later ones to bring the noise within :data:`PRECISION`."""
PROBE_SECONDS = 1.0
DOCS = "docs/reference/limits.md#time-budget"


@dataclass(frozen=True)
class Estimate:
    """The estimated CPU time of a command: ``simulations`` simulations of ``runs`` runs each."""

    runs: int
    simulations: int
    setup: float
    """Seconds of one simulation that do not grow with its runs."""
    per_run: float
    """Seconds one more run adds."""
    probe_runs: int
    """Runs of the largest probe (0: no probe was needed)."""
    probe_seconds: float
    """Seconds the probes took, the uncounted first one included (and the work itself when ``kept``)."""
    also: tuple[tuple[str, "Estimate"], ...] = ()
    """Other work of the same command at the same runs, each probed on its own and named in words
    (a report's back-test: ``("the back-test of 7 cases", Estimate(...))``)."""
    kept: bool = False
    """The largest probe was the work itself, whose result the command keeps (see :func:`probe`)."""

    @property
    def seconds(self) -> float:
        return self.simulations * (self.setup + self.runs * self.per_run) + sum(other.seconds for _, other in self.also)

    def runs_within(self, seconds: float) -> int:
        """The most runs per simulation whose estimate stays within ``seconds`` (0 if even one does not)."""
        parts = [self, *(other for _, other in self.also)]
        setup = sum(part.simulations * part.setup for part in parts)
        per_run = sum(part.simulations * part.per_run for part in parts)
        if per_run <= 0:
            return self.runs
        return max(0, min(self.runs, math.floor((seconds - setup) / per_run)))

    def words(self) -> str:
        """``about 52 min (10,000 runs x 3 simulations; 0.31 s a run, measured on 64 runs)``; other work
        follows with its own share (``; the back-test of 7 cases: about 40 s``)."""
        simulations = f" x {self.simulations:,} simulations" if self.simulations > 1 else ""
        rate = f"{duration(self.per_run)} a run" if self.per_run >= 0.01 else f"{self.per_run * 1000:.2g} ms a run"
        measured = f", measured on {self.probe_runs:,} runs" if self.probe_runs else ""
        if self.kept:
            measured += " (the first simulation itself)"
        others = "".join(f"; {what}: about {duration(other.seconds)}" for what, other in self.also)
        return f"about {duration(self.seconds)} ({self.runs:,} runs{simulations}; {rate}{measured}{others})"


class OverBudget(InputError):
    """A command whose estimated time is over the budget; the message says how to go on."""


def duration(seconds: float) -> str:
    """``0.31 s``, ``40 s``, ``5 min``, ``3.2 h``, ``2.1 days``: two significant figures at most."""
    if seconds < 1:
        return f"{seconds:.2g} s"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.2g} h"
    return f"{seconds / 86400:,.2g} days"


def time_budget(environ: dict[str, str] | None = None) -> float | None:
    """Seconds a command may be estimated to take: ``TRUCE_MAX_SECONDS`` (a positive number; ``0`` or
    ``none``: no budget), else :data:`DEFAULT_MAX_SECONDS`."""
    environ = os.environ if environ is None else environ
    text = environ.get(BUDGET_VARIABLE)
    if text is None:
        return float(DEFAULT_MAX_SECONDS)
    text = text.strip().replace("_", "").replace(",", "")
    if text.lower() in ("0", "none", "off"):
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value < math.inf:
        raise InputError(f"{BUDGET_VARIABLE}: found {environ[BUDGET_VARIABLE][:40]!r}; expected a number of seconds > 0, or 0 for no budget")
    return value


def probe(
    play: Callable[[int], object], runs: int, simulations: int = 1, *, clock: Callable[[], float] | None = None, keep_within: float | None = None
) -> Estimate:
    """Time ``play(n)`` (the command's simulation of ``n`` runs) on a few small ``n`` and fit the
    straight line through the first and the last probe (see the module docstring); ``clock``:
    seconds of CPU time (default :func:`time.process_time`).

    ``keep_within``: ``play(runs)`` is the command's own work, whose result the caller keeps, and the
    command may take this many seconds (its budget; ``math.inf``: none, or ``--force``). The last
    probe is then that work itself once ``runs`` is within one growth step of the probe before and
    the estimate so far is within ``keep_within`` (see the module docstring)."""
    clock = clock or time.process_time
    started = clock()
    play(1)  # loads what every first call loads; not counted
    points: list[tuple[int, float]] = []
    size = FIRST_PROBE
    while True:
        before = clock()
        play(size)
        points.append((size, clock() - before))
        setup, per_run = _line(points)
        if size == runs and keep_within is not None:
            break  # the work itself: no probe can tell more
        total = simulations * (setup + runs * per_run)
        if keep_within is not None and runs <= size * GROWTH and total <= keep_within:
            size = runs  # the work itself, kept: nothing of this probe is played twice
            continue
        if (len(points) == 1 and total < SHOW_ABOVE_SECONDS) or (len(points) > 1 and 2 * total < SHOW_ABOVE_SECONDS):
            break  # short even with all of one probe's time counted per run, or at twice the fitted estimate
        first = points[0][0]
        if len(points) > 1 and _noise(runs, simulations, size - first) <= PRECISION * total:
            break
        if len(points) == 1:  # the next probe sized by this one's time per run (an upper bound)
            wanted = PROBE_SECONDS * size / points[0][1]
        else:  # the spread that brings the noise within PRECISION of the estimate, and a little more
            wanted = first + 1.2 * simulations * runs * 2 * TIMING_NOISE_SECONDS / (PRECISION * total)
        if keep_within is not None:  # within one growth step of the work, which is then played as the last probe
            wanted = max(wanted, math.ceil(runs / GROWTH))
        largest = min(runs, runs * simulations / 4)  # a probe is at most a quarter of the command's runs
        size, previous = int(min(size * GROWTH, max(size * 2, wanted))), size
        if size > largest:
            if largest < 2 * previous:
                break
            size = int(largest)
    setup, per_run = _line(points)
    kept = keep_within is not None and points[-1][0] == runs
    return Estimate(
        runs=runs, simulations=simulations, setup=setup, per_run=per_run, probe_runs=points[-1][0], probe_seconds=clock() - started, kept=kept
    )


def _noise(runs: int, simulations: int, spread: int) -> float:
    """Seconds of the command's estimate that the timing noise of two probes ``spread`` runs apart could move."""
    return simulations * runs * 2 * TIMING_NOISE_SECONDS / spread


def _line(points: list[tuple[int, float]]) -> tuple[float, float]:
    """(setup, per_run) through the first and the last point; from one point, all of its time per run (an upper bound)."""
    (n0, t0), (n1, t1) = points[0], points[-1]
    if n1 == n0:
        return 0.0, t0 / n0
    per_run = max(0.0, (t1 - t0) / (n1 - n0))
    return max(0.0, t0 - n0 * per_run), per_run


def check_budget(
    estimate: Estimate, budget: float | None, *, force: bool, runs_option: str = "--runs", option_value: Callable[[int], int] = lambda runs: runs
) -> str | None:
    """The line to print before the work (None when the estimate is short), or :class:`OverBudget`
    when the estimate is over ``budget`` and ``force`` is not given. ``option_value`` turns the runs
    that fit into the value of ``runs_option`` that asks for them (0: none does)."""
    seconds = estimate.seconds
    if budget is not None and seconds > budget:
        if force:
            return f"Estimated time: {estimate.words()}, over the budget of {duration(budget)}; going on (--force)."
        fits = option_value(estimate.runs_within(budget))
        fewer = (
            f"{runs_option} {fits:,} would fit" if fits >= 1 else "even one run would not fit (fewer candidate packages, parties or rounds would)"
        )
        raise OverBudget(
            f"estimated time: {estimate.words()}; expected at most {duration(budget)} "
            f"(budget {BUDGET_VARIABLE}={budget:g} seconds, see {DOCS}). Nothing was written: "
            f"{fewer}; or pass --force to go on, or set {BUDGET_VARIABLE}."
        )
    if seconds > SHOW_ABOVE_SECONDS:
        return f"Estimated time: {estimate.words()}."
    return None
