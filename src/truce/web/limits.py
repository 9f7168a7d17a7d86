"""Budgets that cap the work one request can ask of the server.

Every check runs on the validated scenario before it is compiled, so an
over-limit request is refused in microseconds with a 4xx that says which
limit it exceeds, never by a slow request, a hang or a 500.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Mapping

from truce import limits as shared
from truce.scenario.loading import MAX_FILE_BYTES
from truce.scenario.schema import Scenario


MAX_OUTCOMES = {2: 10**10, 3: 10**8, 4: 10**6, 5: 200_000, 6: 100_000}
"""Largest product space accepted per number of parties. The exact Pareto
frontier never enumerates the space, but its size, and so its cost, grows
with the number of parties: on the 2-core reference machine the analysis
plus a 200-run simulation of random or anti-correlated preferences at these
sizes takes about 0.2-4 s, while 4 parties over 10^10 packages or 6 parties
over 1.7 x 10^6 take 30 s to minutes."""


@dataclass(frozen=True)
class Limits:
    """Per-request budgets of the web API (defaults suit one analyst on a laptop)."""

    max_body_bytes: int = MAX_FILE_BYTES
    """Request bodies (a scenario upload or JSON) larger than this get 413."""
    max_body_seconds: float = 30.0
    """Time to receive a request body; a slower one gets 408."""
    max_header_seconds: float = 10.0
    """Time to receive a request's line and headers (from the connection's start, or the previous answer
    on a kept-alive connection); a slower client gets 408 and the connection is closed (``truce serve``)."""
    max_runs: int = 20_000
    """Monte Carlo runs per simulation or report."""
    max_whatif_runs: int = 5_000
    """Runs per what-if variant (each lever, and each actor's best combination, replays them)."""
    max_forecast_rounds: int = 200
    """Rounds of a dynamic forecast (KTAB's SMP stops earlier when it converges)."""
    max_report_runs: int = 2_000
    """Runs per report: a report also runs the what-if and sensitivity engines (about 60 simulations each
    for the flagship), and answers only when it is written."""
    max_rounds: int = 1_000
    """Deadline, in rounds, of one simulated negotiation."""
    max_run_rounds: int = 2_000_000
    """Runs x rounds per request: the simulation's work."""
    max_outcomes: Mapping[int, int] = field(default_factory=lambda: dict(MAX_OUTCOMES))
    """Packages in the product space, by number of parties (see :data:`MAX_OUTCOMES`)."""
    max_actors: int = 40
    max_parties: int = 6
    max_jobs: int = 4
    """Background jobs queued or running at once, reports, analyses and forecasts included; more get 429."""
    max_jobs_per_client: int = 3
    """Of those, at most this many for one client (one address); more get 429."""
    kept_jobs: int = 64
    """Finished jobs kept for polling; the oldest are forgotten first."""
    max_parse_seconds: float = 10.0
    """Time to read one scenario text (``/api/parse``); a slower reading is stopped with 422."""
    max_parses: int = 2
    """Scenario texts read at once; more get 429."""
    max_draft_seconds: float = 20.0
    """Time to draft a scenario from one news text (``/api/draft``: a child process that loads spaCy); a
    slower drafting is stopped with 422."""
    max_drafts: int = 1
    """News texts drafted at once; more get 429."""


class OverLimit(Exception):
    """A request over one of the server's limits: ``problems`` holds (path, message)."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems))
        self.problems = problems


def outcome_count(scenario: Scenario) -> int:
    """Packages in the product space, from the issues' option counts (without compiling); a deferrable
    issue has one more option, 'deferred'."""
    return math.prod(len(issue.labels) + issue.deferrable for issue in scenario.issues)


def check_scenario(scenario: Scenario, limits: Limits, *, prefix: str = "") -> None:
    """Raise :class:`OverLimit` when the scenario is larger than the server accepts."""
    problems = []
    if len(scenario.actors) > limits.max_actors:
        problems.append((f"{prefix}actors", f"found {len(scenario.actors)} actors; expected at most {limits.max_actors} (this server's limit per request)"))
    parties = len(scenario.parties)
    most = min(limits.max_parties, max(limits.max_outcomes, default=0))
    if parties > most:
        problems.append((f"{prefix}actors", f"found {parties} parties; expected at most {most} (this server's limit per request)"))
    # The budget of the nearest listed party count at or above this one.
    allowed = next((limits.max_outcomes[k] for k in sorted(limits.max_outcomes) if k >= parties), 0)
    outcomes = outcome_count(scenario)
    if parties <= most and outcomes > allowed:
        problems.append(
            (
                f"{prefix}issues",
                f"found {_size(outcomes)} possible packages among {parties} parties; expected at most {allowed:,} with {parties} "
                "parties (this server's limit per request; fewer issues or options, or a coarser numeric step)",
            )
        )
    if problems:
        raise OverLimit(problems)
    try:  # the caps the command line applies too (TRUCE_MAX_*), which the server's budgets may not cover
        caps = shared.Limits.from_env()
        shared.check_size(len(scenario.actors), parties, [len(issue.labels) + issue.deferrable for issue in scenario.issues], caps)
        shared.check_levers(len(scenario.levers), caps)
    except shared.LimitError as error:
        raise OverLimit([limit_problem(error, prefix)]) from None


def limit_problem(error: shared.LimitError, prefix: str = "") -> tuple[str, str]:
    """(path in the request, message) of a shared cap's error."""
    return prefix + error.path.removeprefix("--"), str(error).removeprefix(f"{error.path}: ")


def check_runs(runs: int, rounds: int, limits: Limits, *, prefix: str = "", report: bool = False) -> None:
    """Raise :class:`OverLimit` when a simulation (or a report's) would do more work than the server accepts."""
    problems = []
    most = limits.max_report_runs if report else limits.max_runs
    if runs > most:
        what = "runs per report" if report else "runs per request"
        problems.append((f"{prefix}runs", f"found {runs:,}; expected at most {most:,} {what} (this server's limit)"))
    if rounds > limits.max_rounds:
        problems.append((f"{prefix}rounds", f"found a deadline of {rounds:,} rounds; expected at most {limits.max_rounds:,} (this server's limit)"))
    elif rounded := shared_rounds(rounds, prefix):
        problems += rounded
    elif runs <= most and runs * rounds > limits.max_run_rounds:
        problems.append(
            (f"{prefix}runs", f"found {runs:,} runs x {rounds:,} rounds = {runs * rounds:,}; expected at most {limits.max_run_rounds:,} per request (this server's limit; fewer runs or a shorter deadline)")
        )
    if problems:
        raise OverLimit(problems)


def shared_rounds(rounds: int, prefix: str = "") -> list[tuple[str, str]]:
    """The command line's cap on rounds (TRUCE_MAX_ROUNDS), which may be set lower than the server's."""
    try:
        shared.check_rounds(rounds, shared.Limits.from_env(), "rounds")
    except shared.LimitError as error:
        return [limit_problem(error, prefix)]
    return []


def _size(count: int) -> str:
    return f"{count:,}" if count < 10**15 else f"about 10^{len(str(count)) - 1}"
