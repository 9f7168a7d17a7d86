"""`truce report` and `truce serve`: the HTML report and the web app."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from truce.cli.budget import ForceBothOption, check_caps, estimate_first
from truce.cli.common import FollowSymlinksOption, ScenarioArg, check_output, UserError, app, errors, progress_bar
from truce.cli.context import about, check_first_proposer
from truce.cli.recording import record
from truce.errors import InputError


@app.command()
def report(
    scenario: ScenarioArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write (self-contained, works offline).")] = Path("report.html"),
    runs: Annotated[int, typer.Option(help="Monte Carlo runs behind the simulation figures.")] = 2000,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same report.")] = 0,
    backtest: Annotated[
        Optional[str], typer.Option("--backtest", help="End the report with the back-test of a case file (or a shipped one by name, e.g. israel-hamas) at the same runs and seed.")
    ] = None,
    first_proposer: Annotated[
        str, typer.Option("--first-proposer", help="Who proposes first (alternating) in every simulation: random (per run), alternate (across runs) or a party id.")
    ] = "random",
    force: ForceBothOption = False,
    follow_symlinks: FollowSymlinksOption = False,
) -> None:
    """Write the HTML report: summary, actors and issues, agreement space, forecast, simulation, levers, durability, sources."""
    from truce.backtest.casefile import CaseFileError
    from truce.files import OutputRefused
    from truce.report.html import MAX_RUNS, plan_report, write_report

    if not 1 <= runs <= MAX_RUNS:
        raise UserError(f"--runs: found {runs}; expected 1 to {MAX_RUNS:,}")
    if seed < 0:
        raise UserError(f"--seed: found {seed}; expected a number >= 0")
    try:
        with about(scenario):
            work = plan_report(scenario, runs=runs, seed=seed, cases=backtest, first_proposer=first_proposer)
    except CaseFileError as error:
        raise UserError(f"--backtest: {error}") from None
    _estimate_report(scenario, work, output, force=force, follow_symlinks=follow_symlinks)
    cases = len(work.cases or ())
    tables: dict = {}
    try:
        with progress_bar(False) as bar:
            # every simulation the report still plays: the what-if's, the sensitivity's, the phases', the back-test's
            task = bar.add_task("Simulating" + (f" (and back-testing {cases} cases)" if cases else ""), total=work.runs_to_play())
            path = write_report(work, output, progress=lambda done: bar.advance(task, done), force=force, follow_symlinks=follow_symlinks, tables=tables)
    except OutputRefused as error:
        raise UserError(str(error)) from None
    except ValueError as error:
        with about(scenario):
            raise error from None
    except OSError as error:
        raise UserError(f"{output}: cannot write ({error.strerror or error})") from None
    record("report", scenario, seed=seed, runs=runs, summary={"output": str(path.resolve()), "bytes": path.stat().st_size, "backtest": backtest}, tables=tables)
    errors.print("wrote the report (one self-contained HTML file; open it in any browser, offline):")
    sys.stdout.write(f"{path.resolve()}\n")


def _estimate_report(scenario: str, work, output: Path, *, force: bool, follow_symlinks: bool) -> None:
    """The output checked, then the report's simulations of the scenario estimated like the simulation's,
    and the back-test of its cases timed on its own (other scenarios, each with its forecast and durability).
    The probes end on the report's own simulation and back-test when the estimate so far fits the
    budget: the report keeps them (``work.kept``) and does not play them again."""
    check_output(output, force=force, follow_symlinks=follow_symlinks, option="--output")
    problem, cases = work.problem, work.cases or ()
    with about(scenario):
        check_first_proposer(work.first_proposer, problem.party_ids)
        check_caps(problem, work.runs, None, work.simulations)
    also = ()
    if cases:
        also = ((f"the back-test of {len(cases)} case{'s' if len(cases) > 1 else ''}", lambda n: work.backtest(n)),)
    estimate_first(scenario, lambda n: work.simulation(n), runs=work.runs, simulations=work.simulations - len(cases), force=force, also=also, keep=True)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on; any address but localhost requires a token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[
        Optional[str],
        typer.Option(help="Access token every request must carry (Authorization: Bearer TOKEN); default: $TRUCE_TOKEN, else a new one at each launch, printed in the page's address."),
    ] = None,
    no_token: Annotated[bool, typer.Option("--no-token", help="Serve without a token (localhost only): any program or user of this machine may then use the server.")] = False,
) -> None:
    """Serve the web app: the page at / and the JSON API (OpenAPI at /docs and /openapi.json). Open the address it prints."""
    from truce.web.server import serve as run_server

    try:
        run_server(host=host, port=port, token=token, no_token=no_token)
    except InputError as error:
        raise UserError(str(error)) from None
