"""The ``truce`` command line: argument parsing and formatting only.

Every command takes SCENARIO as a built-in name (``truce scenarios``) or a
path to a YAML/JSON file. User errors (a bad file, a bad option) print a
message naming what is wrong and where, and exit with status 2 without a
traceback; an internal error (a bug in truce) says so in one line and exits
with status 70 (the traceback with ``TRUCE_DEBUG=1``). One module per group
of commands; each registers on the shared Typer ``app``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

# imported in the order their commands list in `truce --help`; each registers on `app`
from truce.cli import catalogue, draft, analyze, advise, explain, divide, simulate, mediation, compare, sweep, discover, forecast, backtest, interchange, tournament, front_ends, runs  # noqa: F401, I001
from truce.cli.common import app, console, errors
from truce.errors import INTERNAL_ERROR_EXIT, InputError, ProblemsError, debugging, internal_error_message  # not truce.scenario: `truce --help` need not load the schema


@app.callback(invoke_without_command=True)
def _main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
    store: Annotated[Optional[Path], typer.Option("--store", help="Record runs in this store, and read it with `truce runs` (default .truce, or TRUCE_STORE).")] = None,
    no_store: Annotated[bool, typer.Option("--no-store", help="Record nothing (or set TRUCE_NO_STORE=1).")] = False,
) -> None:
    from truce.cli.recording import begin

    begin(store, no_store)
    if version:
        from truce import __version__

        console.print(f"truce {__version__}")
        raise typer.Exit()


def main() -> None:
    """Console-script entry point: run the app; user errors exit 2 with their message, internal
    errors exit 70 with one line saying they are a bug (the traceback only with TRUCE_DEBUG)."""
    try:
        app()
    except ProblemsError as error:  # a scenario or sweep file
        errors.print(str(error), markup=False, highlight=False)
        sys.exit(2)
    except InputError as error:  # UserError included
        errors.print(f"error: {error}", markup=False, highlight=False)
        sys.exit(2)
    except Exception as error:  # anything else is truce's fault, not the user's
        if debugging():
            raise
        errors.print(f"error: {internal_error_message(error)}", markup=False, highlight=False)
        sys.exit(INTERNAL_ERROR_EXIT)
