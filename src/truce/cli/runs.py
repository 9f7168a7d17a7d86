"""`truce runs list|show|export|compare`: the runs recorded in the store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.markup import escape
from rich.table import Table

from truce.cli.common import JsonOption, UserError, app, console, print_json

runs_app = typer.Typer(help="The runs recorded in the store (.truce/ by default): list, show, export, compare.", no_args_is_help=True)
app.add_typer(runs_app, name="runs")

HEADLINES = ("agreement_rate", "p_deal", "points", "tasks", "brier", "boxes", "negotiations", "output")
"""Summary fields shown in the list, the first one a run has."""


def _catalog():
    from truce.cli.recording import store_path
    from truce.store.catalog import Catalog

    return Catalog(store_path())


@runs_app.command("list")
def list_runs(
    command: Annotated[Optional[str], typer.Option(help="Only the runs of this command (simulate, durability, whatif, sensitivity, compare, forecast, sweep, discover, backtest, tournament, report).")] = None,
    scenario: Annotated[Optional[str], typer.Option(help="Only the runs of this scenario (as given, or its name).")] = None,
    limit: Annotated[int, typer.Option(help="The newest N runs at most (0: all).")] = 20,
    as_json: JsonOption = False,
) -> None:
    """The recorded runs, newest first."""
    if limit < 0:
        raise UserError(f"--limit: found {limit}; expected 0 (all) or more")
    with _catalog() as catalog:
        found = catalog.runs(command=command, scenario=scenario, limit=limit or None)
    if as_json:
        print_json([_row(row) for _, row in found.iterrows()])
        return
    table = Table(title=f"Runs recorded in the store ({len(found):,} shown, newest first)")
    for column in ("run", "started (UTC)", "command", "scenario", "seed", "runs", "seconds", "result"):
        table.add_column(column, no_wrap=column in ("run", "started (UTC)", "result"))
    for _, row in found.iterrows():
        summary = json.loads(row["summary"]) if row["summary"] else {}
        table.add_row(
            row["run_id"], f"{row['started']:%Y-%m-%d %H:%M}", row["command"], escape(str(row["scenario"] or "-")),
            _optional(row["seed"]), _optional(row["runs"]), f"{row['seconds']:.1f}", escape(_headline(summary)),
        )
    console.print(table)


@runs_app.command("show")
def show(
    run: Annotated[str, typer.Argument(help="A run id (or a unique start of one; last: the newest; last~N: the N-th before it).")],
    as_json: JsonOption = False,
) -> None:
    """One run: its command, scenario (name and content hash), seed, versions, timings, results and tables."""
    with _catalog() as catalog:
        found = catalog.find(run)
    if as_json:
        print_json(_plain(found))
        return
    console.print(f"[bold]{found['run_id']}[/bold]: truce {' '.join(map(escape, found['arguments'] or []))}")
    console.print(f"Started {found['started']:%Y-%m-%d %H:%M:%S} UTC, {found['seconds']:.2f} s")
    if found["scenario"]:
        console.print(f"Scenario: {escape(str(found['scenario']))} ({escape(str(found['scenario_name']))}), content SHA-256 {found['scenario_hash']}")
    console.print(f"Seed: {_optional(found['seed'])}; runs: {_optional(found['runs'])}")
    console.print("Versions: " + ", ".join(f"{name} {version}" for name, version in (found["versions"] or {}).items() if version))
    results = Table(title="Results")
    results.add_column("field")
    results.add_column("value")
    for key, value in _flat(found["summary"] or {}).items():
        results.add_row(escape(key), escape(_text(value)))
    console.print(results)
    for name, about in (found["tables"] or {}).items():
        console.print(f"Table {name}: {about['rows']:,} rows, columns {escape(', '.join(about['columns'][:12]))}" + (" ..." if len(about["columns"]) > 12 else ""))


@runs_app.command("export")
def export(
    run: Annotated[str, typer.Argument(help="A run id (or a unique start of one; last: the newest; last~N: the N-th before it).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The folder to write: run.json, scenario.json and each table.")],
    format: Annotated[str, typer.Option(help="The tables' format: csv or parquet.")] = "csv",
    force: Annotated[bool, typer.Option("--force", help="Write into a folder that already holds files.")] = False,
) -> None:
    """Write one run's record, its scenario and its tables to a folder."""
    from truce.files import write_output

    if format not in ("csv", "parquet"):
        raise UserError(f"--format: found {format!r}; expected csv or parquet")
    if output.exists() and (not output.is_dir() or any(output.iterdir())) and not force:
        raise UserError(f"--output {output}: exists and is not an empty folder; expected a new folder, or --force")
    with _catalog() as catalog:
        found = catalog.find(run)
        frames = {name: catalog.table(found["run_id"], name) for name in (found["tables"] or {})}
        content = catalog.scenario(found["scenario_hash"]) if found["scenario_hash"] else None
    try:
        output.mkdir(parents=True, exist_ok=True)
        write_output(output / "run.json", json.dumps(_plain(found), indent=1) + "\n", force=True)
        if content is not None:
            write_output(output / "scenario.json", content, force=True)
        for name, frame in frames.items():
            if format == "csv":
                write_output(output / f"{name}.csv", frame.to_csv(index=False), force=True)
            else:
                import io

                buffer = io.BytesIO()
                frame.to_parquet(buffer, index=False)
                write_output(output / f"{name}.parquet", buffer.getvalue(), force=True)
    except OSError as error:
        raise UserError(f"--output {output}: cannot write ({error.strerror or error})") from None
    console.print(f"Wrote run {found['run_id']} to {escape(str(output))}: run.json" + (", scenario.json" if content else "")
                  + "".join(f", {name}.{format}" for name in frames))


@runs_app.command("compare")
def compare(
    first: Annotated[str, typer.Argument(metavar="A", help="A run id (or a unique start of one; last: the newest; last~N: the N-th before it).")],
    second: Annotated[str, typer.Argument(metavar="B", help="Another run.")],
    as_json: JsonOption = False,
) -> None:
    """Two runs side by side: what differs in how they were run (command, scenario content, seed, versions) and in their results."""
    with _catalog() as catalog:
        a, b = catalog.find(first), catalog.find(second)
    inputs = {key: (a[key], b[key]) for key in ("command", "scenario", "scenario_hash", "seed", "runs") if a[key] != b[key]}
    inputs.update({f"versions.{name}": (a["versions"].get(name), b["versions"].get(name))
                   for name in sorted(set(a["versions"] or {}) | set(b["versions"] or {})) if (a["versions"] or {}).get(name) != (b["versions"] or {}).get(name)})
    flat_a, flat_b = _flat(a["summary"] or {}), _flat(b["summary"] or {})
    results = {key: (flat_a.get(key), flat_b.get(key)) for key in list(flat_a) + [k for k in flat_b if k not in flat_a] if flat_a.get(key) != flat_b.get(key)}
    if as_json:
        print_json({"a": a["run_id"], "b": b["run_id"], "inputs": _plain(inputs), "results": _plain(results)})
        return
    console.print(f"A: {a['run_id']} (truce {escape(' '.join(a['arguments'] or []))})")
    console.print(f"B: {b['run_id']} (truce {escape(' '.join(b['arguments'] or []))})")
    for title, rows in (("How they were run: what differs", inputs), ("Results: what differs", results)):
        if not rows:
            console.print(f"{title}: nothing.")
            continue
        console.print(f"[bold]{title}[/bold]")
        table = Table()
        for column in ("field", "A", "B"):
            table.add_column(column)
        for key, (left, right) in rows.items():
            table.add_row(escape(key), escape(_text(left)), escape(_text(right)))
        console.print(table)
    same = len(flat_a) - sum(1 for key in flat_a if key in results)
    console.print(f"{same} result field(s) the same.")


def _flat(data: Any, prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}}`` -> ``{"a.b": 1}``; lists of numbers kept whole."""
    if isinstance(data, dict):
        flat: dict[str, Any] = {}
        for key, value in data.items():
            flat.update(_flat(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix: data}


def _headline(summary: dict) -> str:
    for key in HEADLINES:
        if key in summary and summary[key] is not None:
            value = summary[key]
            return f"P(deal) {value:.1%}" if key in ("agreement_rate", "p_deal") else f"{key} {_text(value)}"
    return "-"


def _text(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (list, dict)):
        text = json.dumps(value)
        return text if len(text) <= 80 else text[:77] + "..."
    return "-" if value is None else str(value)


def _optional(value: Any) -> str:
    return "-" if value is None or value != value else f"{int(value):,}"


def _row(row) -> dict:
    found = row.to_dict()
    for key in ("arguments", "versions", "summary", "tables"):
        found[key] = json.loads(found[key]) if found[key] else None
    return _plain(found)


def _plain(data: Any) -> Any:
    if isinstance(data, dict):
        return {str(key): _plain(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [_plain(value) for value in data]
    if hasattr(data, "isoformat"):
        return data.isoformat()
    if hasattr(data, "item"):
        return data.item()
    return data
