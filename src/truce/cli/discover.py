"""`truce discover SWEEP_DIR --target p_deal --above 0.5`: which input ranges of a sweep give a result above (or below) a threshold."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from truce.cli.common import FollowSymlinksOption, ForceOption, JsonOption, UserError, app, check_output, console, print_json, write_atomically


@app.command()
def discover(
    source: Annotated[Optional[str], typer.Argument(metavar="SWEEP", help="A finished sweep's folder (its --out), or a points table (CSV or Parquet) with --inputs.")] = None,
    run: Annotated[Optional[str], typer.Option("--run", help="Instead of SWEEP: a sweep run recorded in the store (its id, a unique start, last or last~N).")] = None,
    target: Annotated[str, typer.Option(help="The result column that makes a point of interest (p_deal, p_lasting, forecast:ISSUE, ...).")] = "p_deal",
    above: Annotated[Optional[float], typer.Option(help="Points of interest: target above this.")] = None,
    below: Annotated[Optional[float], typer.Option(help="Points of interest: target below this (instead of --above).")] = None,
    inputs: Annotated[Optional[str], typer.Option(help="The input columns, comma-separated (default: the sweep's parameters).")] = None,
    method: Annotated[str, typer.Option(help="prim (Friedman & Fisher's PRIM, EMA Workbench) or tree (a classification tree, scikit-learn).")] = "prim",
    density: Annotated[float, typer.Option(help="prim: the least density of a box (share of its points of interest).")] = 0.8,
    boxes: Annotated[int, typer.Option(help="prim: boxes to seek at most, each among the points outside the earlier ones.")] = 3,
    depth: Annotated[int, typer.Option(help="tree: most levels of the tree.")] = 3,
    mass_min: Annotated[float, typer.Option("--mass-min", help="The least share of the points in a box (prim: where peeling stops; tree: least leaf).")] = 0.05,
    plot: Annotated[Optional[Path], typer.Option(help="Write the points, the boxes (and PRIM's peeling trajectory) as an HTML page.")] = None,
    force: ForceOption = False,
    follow_symlinks: FollowSymlinksOption = False,
    as_json: JsonOption = False,
) -> None:
    """Scenario discovery: the boxes of input ranges where a sweep's result is above (or below) a threshold, with their coverage and density."""
    from truce.sweep.discover import discover as find, of_interest, read_points

    if not 0 < density <= 1:
        raise UserError(f"--density: found {density:g}; expected a share in (0, 1]")
    if not 0 < mass_min < 1:
        raise UserError(f"--mass-min: found {mass_min:g}; expected a share in (0, 1)")
    if not 1 <= boxes <= 20:
        raise UserError(f"--boxes: found {boxes}; expected 1 to 20")
    if not 1 <= depth <= 10:
        raise UserError(f"--depth: found {depth}; expected 1 to 10")
    if plot is not None:
        check_output(plot, force=force, follow_symlinks=follow_symlinks, option="--plot")
    named = [c.strip() for c in inputs.split(",") if c.strip()] if inputs else None
    if (source is None) == (run is None):
        raise UserError("SWEEP/--run: found " + ("both" if source else "neither") + "; expected a sweep's folder or points table, or --run RUN")
    if run is not None:
        table, columns, source = _recorded(run, named)
    else:
        table, columns = read_points(source, named)
    found = find(table, columns, target, above=above, below=below, method=method, density=density, boxes=boxes, depth=depth, mass_min=mass_min)
    from truce.cli.recording import record

    record("discover", summary={**{k: v for k, v in found.to_dict().items() if k != "boxes"}, "source": source, "boxes": len(found.boxes),
                                "coverage": found.boxes[0].coverage if found.boxes else None}, tables={"boxes": found.to_frame()})
    if plot is not None:
        from truce.sweep.discover_plot import figure

        interest, _ = of_interest(table, target, above, below)
        write_atomically(plot, figure(found, table, interest).to_html(include_plotlyjs=True, full_html=True), force=force, follow_symlinks=follow_symlinks, option="--plot")
    if as_json:
        print_json(found.to_dict())
        return
    how = f"PRIM, density at least {density:g}" if method == "prim" else f"a classification tree of depth {depth}"
    console.print(f"[bold]{escape(source)}[/bold]: {found.points:,} points, {found.of_interest:,} of interest ({escape(found.rule)}); boxes by {how}")
    if not found.boxes:
        reason = "no point is of interest" if found.of_interest == 0 else "every point is of interest" if found.of_interest == found.points else (
            f"no box reaches a density of {density:g}" if method == "prim" else "no leaf of the tree is mostly of interest")
        console.print(f"No box found: {reason}.")
    else:
        shown = Table(title="Boxes: the input ranges, the share of the points of interest inside (coverage) and of the box's points that are (density)")
        for column in ("box", "ranges", "coverage", "density", "points"):
            shown.add_column(column)
        for b, box in enumerate(found.boxes, start=1):
            shown.add_row(str(b), escape(box.words()), f"{box.coverage:.1%}", f"{box.density:.1%}", f"{box.points:,} ({box.mass:.0%})")
        console.print(shown)
    if plot is not None:
        console.print(f"Wrote {escape(str(plot))}.")


def _recorded(wanted: str, inputs: list[str] | None):
    """The points' table of a sweep run in the store, its parameters' columns and the run's id."""
    from truce.cli.recording import store_path
    from truce.store.catalog import Catalog

    with Catalog(store_path()) as catalog:
        found = catalog.find(wanted)
        if found["command"] != "sweep" or "points" not in (found["tables"] or {}):
            raise UserError(f"--run {wanted}: found a {found['command']} run ({found['run_id']}); expected a sweep run, which records its points")
        table = catalog.table(found["run_id"], "points")
    return table, inputs or list(found["summary"].get("parameters") or []), f"run {found['run_id']}"
