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


class FittingConsole(Console):
    """A console that prints a table too wide for the terminal one row at a time (issue 17: at 80
    columns, tables of many columns cut their words to 'perman…' or stacked cells 8 lines high).

    A table is printed as it is when every column fits with its longest word whole (Rich's
    minimum width of the table); otherwise each row becomes a block: the row's first cell in bold,
    then one ``column: value`` line per other non-empty cell, indented, wrapped to the width (the
    layout of psql's ``\\x``)."""

    ELLIPSIS = "\u2026"

    def print(self, *objects, **options) -> None:  # noqa: A003 (Console's own name)
        super().print(*(self._fitted(thing) for thing in objects), **options)

    def _fitted(self, thing):
        from rich.measure import Measurement
        from rich.table import Table

        if not isinstance(thing, Table) or not thing.columns:
            return thing
        if Measurement.get(self, self.options.update(max_width=10**6), thing).minimum <= self.width:
            # the words fit, but Rich's shrinking of the columns may still cut some: look
            drawn = self.render_lines(thing, self.options, pad=False)
            if not any(self.ELLIPSIS in segment.text for line in drawn for segment in line):
                return thing
        return rows_as_blocks(thing)


def rows_as_blocks(table):
    """A Rich table as a group of blocks, one per row (see :class:`FittingConsole`)."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    def as_text(cell) -> Text:
        return Text.from_markup(cell) if isinstance(cell, str) else cell if isinstance(cell, Text) else Text(str(cell))

    headers = [" ".join(as_text(column.header).plain.split()) for column in table.columns]
    cells = [list(column._cells) for column in table.columns]
    parts = [Text(" ".join(as_text(table.title).plain.split()), style="bold")] if table.title else []
    for row in range(len(table.rows)):
        first = as_text(cells[0][row]).copy()
        first.stylize("bold")
        parts.append(Text.assemble(Text(f"{headers[0]}: ", style="dim"), first) if headers[0] else first)
        for header, column in zip(headers[1:], cells[1:]):
            value = as_text(column[row])
            if value.plain.strip():
                parts.append(Padding(Text.assemble(Text(f"{header}: ", style="dim"), value), (0, 0, 0, 2), expand=False))
    if table.caption:
        parts.append(as_text(table.caption))
    return Group(*parts)


console = FittingConsole()
errors = Console(stderr=True, soft_wrap=True)

ScenarioArg = Annotated[str, typer.Argument(help="A built-in scenario name (see `truce scenarios`) or a YAML/JSON file.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead of tables.")]


class UserError(InputError):
    """A problem with what the user asked for on the command line; printed without a traceback, exit 2."""


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(finite(data), indent=2, allow_nan=False) + "\n")


def source_keys(sources: list[str]) -> tuple[list[str], list[str]]:
    """A table's long source column folded into a legend, so that the table fits 80 columns: each
    source as a key (``[1]``, ``[2]``, ... in order of first use, one key per distinct text) and the
    legend's lines (``[1] Faratin, Sierra & Jennings (1998), ...``), printed after the table."""
    keys: dict[str, str] = {}
    for source in sources:
        keys.setdefault(source, f"[{len(keys) + 1}]")
    return [keys[source] for source in sources], [f"{key} {source}" for source, key in keys.items()]


def print_legend(title: str, lines: list[str]) -> None:
    """A legend under a table, each entry wrapped to the terminal's width."""
    from rich.text import Text

    console.print(Text(title, style="bold"))
    for line in lines:
        console.print(Text(line, overflow="fold"))


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
        return f"{difference.mean * 100:+.1f} pp ({difference.low * 100:+.1f} to {difference.high * 100:+.1f})"
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
