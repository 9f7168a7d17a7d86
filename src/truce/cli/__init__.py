"""The ``truce`` command line: argument parsing and formatting only.

Every command takes SCENARIO as a built-in name (``truce scenarios``) or a
path to a YAML/JSON file. User errors (a bad file, a bad option) print a
message naming what is wrong and where, and exit with status 2 without a
traceback. One module per group of commands; each registers on the shared
Typer ``app``.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

# imported in the order their commands list in `truce --help`; each registers on `app`
from truce.cli import catalogue, analyze, advise, explain, divide, simulate, mediation, forecast, backtest, front_ends  # noqa: F401, I001
from truce.cli.common import UserError, app, console, errors
from truce.errors import ScenarioError  # not truce.scenario: `truce --help` need not load the schema


@app.callback(invoke_without_command=True)
def _main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        from truce import __version__

        console.print(f"truce {__version__}")
        raise typer.Exit()


def main() -> None:
    """Console-script entry point: run the app, turning user errors into exit status 2."""
    try:
        app()
    except ScenarioError as error:
        errors.print(str(error), markup=False, highlight=False)
        sys.exit(2)
    except UserError as error:
        errors.print(f"error: {error}", markup=False, highlight=False)
        sys.exit(2)
