"""``truce import`` and ``truce export``: scenarios from and to GENIUS, GeniusWeb and KTAB files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from truce.cli.common import FollowSymlinksOption, ForceOption, ScenarioArg, UserError, app, check_output, write_atomically
from truce.cli.context import about

FORMAT_HELP = "genius (a folder of GENIUS XML: a domain and a profile per party), geniusweb (JSON) or ktab (SMP input CSV)"
REPORT_FILE = "export-report.txt"


def _format(value: str | None, option: str) -> str | None:
    from truce.interchange import FORMATS

    if value is not None and value not in FORMATS:
        raise UserError(f"{option}: found '{value}'; expected one of {', '.join(FORMATS)}")
    return value


@app.command("import")
def import_command(
    sources: Annotated[list[Path], typer.Argument(metavar="FILE_OR_DIR...", help="A GENIUS folder (or its domain file), GeniusWeb profiles (a folder, one profile with its folder's, or several files), or a KTAB CSV.", show_default=False)],
    source_format: Annotated[Optional[str], typer.Option("--from", help=f"The format: {FORMAT_HELP}. Default: told from the file.")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the scenario (YAML) to this file instead of printing it.")] = None,
    rounds: Annotated[Optional[int], typer.Option(help="Deadline of the imported scenario, in rounds: time discounting is spread over it. Default: a GeniusWeb settings file's round limit, else 40.", show_default=False)] = None,
    force: ForceOption = False,
    follow_symlinks: FollowSymlinksOption = False,
) -> None:
    """Read a negotiation from GENIUS, GeniusWeb or KTAB files into a truce scenario, with a report of what was approximated."""
    from truce.interchange import import_scenario, scenario_yaml
    from truce.scenario.loading import validate

    _format(source_format, "--from")
    if rounds is not None and not 1 <= rounds <= 100_000:
        raise UserError(f"--rounds: found {rounds}; expected 1 to 100,000")
    if output is not None:
        check_output(output, force=force, follow_symlinks=follow_symlinks, option="--output")
    data, report = import_scenario(sources, source_format, rounds=rounds)
    data.setdefault("notes", {})["import"] = report.text().strip()
    named = ", ".join(str(source) for source in sources)
    validate(data, source=named)
    text = scenario_yaml(data, f"Scenario written by `truce import` from {', '.join(source.name for source in sources)}.\n{report.title}; see notes.import.")
    if output is None:
        sys.stdout.write(text)
        sys.stderr.write(report.text())
        return
    write_atomically(output, text, force=force, follow_symlinks=follow_symlinks, option="--output")
    sys.stdout.write(f"wrote {output}: {len(data['actors'])} parties, {len(data['issues'])} issues\n{report.text()}")


@app.command("export")
def export_command(
    scenario: ScenarioArg,
    target_format: Annotated[str, typer.Option("--to", help=f"The format: {FORMAT_HELP}.", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="The folder to write the files into (made if missing).", show_default=False)],
    force: ForceOption = False,
) -> None:
    """Write a scenario as GENIUS, GeniusWeb or KTAB files, with a report (printed and written beside them) of what the format cannot say."""
    from truce.interchange import export_scenario
    from truce.scenario import load

    _format(target_format, "--to")
    with about(scenario):
        loaded = load(scenario)
        files, report = export_scenario(loaded, target_format)
    if output.exists() and not output.is_dir():
        raise UserError(f"--output {output}: is a file; expected a folder to write the {target_format} files into")
    if not output.exists():
        try:
            output.mkdir()
        except OSError as error:
            raise UserError(f"--output {output}: cannot make the folder ({error.strerror or error})") from None
    files[REPORT_FILE] = report.text()
    for name in files:
        check_output(output / name, force=force, follow_symlinks=False, option="--output")
    for name, text in files.items():
        write_atomically(output / name, text, force=force, follow_symlinks=False, option="--output")
    listed = ", ".join(name for name in files if name != REPORT_FILE)
    sys.stdout.write(f"wrote {output}: {listed} (and {REPORT_FILE})\n{report.text()}")
