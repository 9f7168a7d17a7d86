"""`truce report` and `truce serve`: the HTML report and the web app."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from truce.cli.budget import ForceBothOption, check_caps, estimate_first, report_simulations
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
    from truce.files import OutputRefused
    from truce.report.html import MAX_RUNS, write_report

    if not 1 <= runs <= MAX_RUNS:
        raise UserError(f"--runs: found {runs}; expected 1 to {MAX_RUNS:,}")
    if seed < 0:
        raise UserError(f"--seed: found {seed}; expected a number >= 0")
    resolved = ()
    if backtest is not None:
        from truce.backtest.casefile import CaseFileError, load_cases

        try:
            resolved = load_cases(backtest)[2]
        except CaseFileError as error:
            raise UserError(f"--backtest: {error}") from None
    cases = len(resolved)
    _estimate_report(scenario, output, runs=runs, seed=seed, cases=resolved, first_proposer=first_proposer, force=force, follow_symlinks=follow_symlinks)
    tables: dict = {}
    try:
        with progress_bar(False) as bar:
            task = bar.add_task("Simulating" + (f" (and back-testing {cases} cases)" if cases else ""), total=runs * (1 + cases))
            path = write_report(
                scenario, output, runs=runs, seed=seed, progress=lambda done: bar.advance(task, done),
                force=force, follow_symlinks=follow_symlinks, cases=backtest, first_proposer=first_proposer, tables=tables,
            )
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


def _estimate_report(scenario: str, output: Path, *, runs: int, seed: int, cases, first_proposer: str, force: bool, follow_symlinks: bool) -> None:
    """The output checked, then the report's simulations of the scenario estimated like the simulation's,
    and the back-test of ``cases`` (resolved cases) timed on its own: other scenarios, each with its forecast and durability."""
    from truce.scenario import load
    from truce.simulate import simulate
    from truce.simulate.compiled import COMPILED_FROM_RUNS

    check_output(output, force=force, follow_symlinks=follow_symlinks, option="--output")
    with about(scenario):
        problem = load(scenario).compile()
        check_first_proposer(first_proposer, problem.party_ids)
        simulations = report_simulations(problem)
        check_caps(problem, runs, None, simulations + len(cases))
    # The probes play a few hundred runs, which engine="auto" plays in numpy; the report's own runs, from
    # COMPILED_FROM_RUNS on, play in the compiled loop, several times faster a run: probe the engine they use.
    engine = "compiled" if runs >= COMPILED_FROM_RUNS else "auto"
    also = ()
    if cases:
        from truce.backtest.run import backtest

        also = ((f"the back-test of {len(cases)} case{'s' if len(cases) > 1 else ''}", lambda n: backtest(cases, runs=n, seed=seed, engine=engine)),)
    play = lambda n: simulate(problem, runs=n, seed=seed, first_proposer=first_proposer, engine=engine)  # noqa: E731
    estimate_first(scenario, play, runs=runs, simulations=simulations, force=force, also=also)


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
