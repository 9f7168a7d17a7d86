"""What every command shares: consoles, the user-error type, argument types, JSON, progress, safe writes."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from truce.errors import InputError
from truce.json_safe import finite

app = typer.Typer(
    name="truce",
    help="Model, analyse, forecast and simulate mediated multi-party negotiations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True, soft_wrap=True)

ScenarioArg = Annotated[str, typer.Argument(help="A built-in scenario name (see `truce scenarios`) or a YAML/JSON file.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead of tables.")]


class UserError(InputError):
    """A problem with what the user asked for on the command line; printed without a traceback, exit 2."""


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(finite(data), indent=2, allow_nan=False) + "\n")


def optional(value: float) -> str:
    import numpy as np

    return "-" if value is None or np.isnan(value) else f"{value:.3f}"


class nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def parse_strategies(specs: list[str], party_ids: tuple[str, ...]) -> str | dict[str, str]:
    if not specs:
        from truce.simulate.strategies import DEFAULT_STRATEGY

        return DEFAULT_STRATEGY
    if len(specs) == 1 and "=" not in specs[0].split(":")[0]:
        return specs[0]
    chosen = {}
    for spec in specs:
        party, separator, name = spec.partition("=")
        if not separator or ":" in party:
            raise UserError(f"--strategy {spec}: expected NAME for every party, or PARTY=NAME once per party")
        chosen[party.strip()] = name.strip()
    return chosen



PROGRESS_LINE_SECONDS = 5.0
"""Off a terminal, a progress line at most this often (the first after this long: short runs print none)."""


class LineProgress:
    """Progress for a standard error that is not a terminal (piped, logged, under nohup): one plain
    line every few seconds instead of a bar that redraws itself. The same calls as rich's Progress."""

    def __init__(self, stream, every: float = PROGRESS_LINE_SECONDS, clock=time.monotonic):
        self.stream, self.every, self.clock = stream, every, clock
        self.tasks: list[dict] = []

    def __enter__(self) -> "LineProgress":
        self.started = self.last = self.clock()
        return self

    def __exit__(self, *exc) -> bool:
        return False

    def add_task(self, description: str, total: float | None = None) -> int:
        self.tasks.append({"description": description, "total": total, "done": 0})
        return len(self.tasks) - 1

    def update(self, task: int, advance: float = 0, description: str | None = None) -> None:
        entry = self.tasks[task]
        entry["done"] += advance
        if description is not None:
            entry["description"] = description
        now = self.clock()
        if now - self.last >= self.every:
            self.last = now
            self.stream.write(self.line(entry, now - self.started) + "\n")
            self.stream.flush()

    def advance(self, task: int, advance: float = 1) -> None:
        self.update(task, advance=advance)

    @staticmethod
    def line(entry: dict, elapsed: float) -> str:
        done, total = entry["done"], entry["total"]
        if not total:
            return f"{entry['description']}: {done:,.0f} done after {elapsed:.0f} s"
        share = min(done / total, 1.0)
        left = f", about {elapsed * (1 - share) / share:.0f} s left" if share > 0 else ""
        return f"{entry['description']}: {done:,.0f} of {total:,.0f} ({share:.0%}) after {elapsed:.0f} s{left}"


def progress_bar(quiet: bool) -> "Progress | LineProgress":
    """A progress bar on standard error: rich's on a terminal, a line every few seconds otherwise."""
    if not quiet and not errors.is_terminal:
        return LineProgress(sys.stderr)
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=errors,
        disable=quiet,
        transient=True,
    )



def check_runs(runs: int, most: int = 10_000_000) -> None:
    if not 1 <= runs <= most:
        raise UserError(f"--runs: found {runs}; expected 1 to {most:,}")



def diff(difference, percent: bool = False) -> str:
    if difference is None:
        return "-"
    if percent:
        return f"{difference.mean * 100:+.1f} pts ({difference.low * 100:+.1f} to {difference.high * 100:+.1f})"
    return f"{difference.mean:+.2f} ({difference.low:+.2f} to {difference.high:+.2f})"



ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite the output file if it exists (it keeps its mode).")]
FollowSymlinksOption = Annotated[
    bool, typer.Option("--follow-symlinks", help="If the output path is a symbolic link, write to the file it points to.")
]


def check_output(path: Path, *, force: bool, follow_symlinks: bool, option: str = "") -> None:
    """Before a long job: refuse now an output that could not be written (see :mod:`truce.files`)."""
    from truce.files import OutputRefused, check_output as check

    try:
        check(path, force=force, follow_symlinks=follow_symlinks)
    except OutputRefused as error:
        raise UserError(f"{option} {error}".lstrip()) from None


def write_atomically(path: Path, text: str, *, force: bool, follow_symlinks: bool, option: str = "") -> Path:
    """Write whole or not at all, never through a link, never over a file without --force (:mod:`truce.files`)."""
    from truce.files import OutputRefused, write_output

    try:
        return write_output(path, text, force=force, follow_symlinks=follow_symlinks)
    except OutputRefused as error:
        raise UserError(f"{option} {error}".lstrip()) from None
    except OSError as error:
        raise UserError(f"{option} {path}: cannot write ({error.strerror or error})".lstrip()) from None
