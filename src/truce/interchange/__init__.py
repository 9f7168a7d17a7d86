"""Interchange with the field's formats: GENIUS XML, GeniusWeb JSON and KTAB's SMP CSV.

- :func:`import_scenario` reads another tool's files into truce scenario data (a dict the scenario
  loader validates), with a :class:`~truce.interchange.common.Report` of what it approximated;
- :func:`export_scenario` writes a scenario in another tool's format (file name -> text), with a
  report of what that format cannot say.

One module per format; each reads untrusted files (bounded in size, XML without entities or
external references, NaN and infinity refused) and raises
:class:`~truce.interchange.common.InterchangeError` naming the file, the element and what was
expected. The mapping, field by field, is in docs/reference/interchange.md.
"""

from __future__ import annotations

from pathlib import Path

from truce.interchange.common import InterchangeError, Report, scenario_yaml

FORMATS = ("genius", "geniusweb", "ktab")
DEFAULT_ROUNDS = 40
"""Rounds of an imported scenario (the scenario format's default): GENIUS and GeniusWeb discount over
normalised time, which truce maps to per-round factors over this deadline."""

__all__ = ["DEFAULT_ROUNDS", "FORMATS", "InterchangeError", "Report", "export_scenario", "import_scenario", "scenario_yaml", "sniff"]


def sniff(path: Path) -> str:
    """The format of ``path``: a folder or an .xml file is GENIUS, a .json file GeniusWeb, a .csv file KTAB."""
    if path.is_dir():
        if any(p.suffix.lower() == ".json" for p in path.iterdir()) and not any(p.suffix.lower() == ".xml" for p in path.iterdir()):
            return "geniusweb"
        return "genius"
    suffix = path.suffix.lower()
    formats = {".xml": "genius", ".json": "geniusweb", ".csv": "ktab"}
    if suffix in formats:
        return formats[suffix]
    raise InterchangeError(path, "", f"a file ending '{suffix or '(no extension)'}'", "a folder or an .xml (GENIUS), .json (GeniusWeb) or .csv (KTAB) file, or --from")


def import_scenario(
    paths: str | Path | list[str | Path], source_format: str | None = None, *, rounds: int | None = None
) -> tuple[dict, Report]:
    """Scenario data read from another tool's files, and the report of what was approximated.

    ``paths``: a folder (its files are read), one file (with the other files of its folder, for GENIUS
    and GeniusWeb), or several files (exactly those). ``rounds``: the scenario's deadline; by default a
    GeniusWeb settings file's round limit, else :data:`DEFAULT_ROUNDS`."""
    paths = [Path(p) for p in ([paths] if isinstance(paths, (str, Path)) else paths)]
    if not paths:
        raise InterchangeError("truce import", "FILE_OR_DIR", "nothing", "a GENIUS folder, GeniusWeb profiles or a KTAB file")
    for path in paths:
        if not path.exists():
            raise InterchangeError(path, "", "no such file or folder", "a GENIUS folder, a GeniusWeb or KTAB file")
    source_format = source_format or sniff(paths[0])
    if source_format == "genius":
        from truce.interchange import genius

        return genius.read_folder(paths, rounds or DEFAULT_ROUNDS)
    if source_format == "geniusweb":
        from truce.interchange import geniusweb

        return geniusweb.read(paths, rounds, DEFAULT_ROUNDS)
    if source_format == "ktab":
        from truce.interchange import ktab

        return ktab.read(paths)
    raise InterchangeError(paths[0], "--from", repr(source_format), ", ".join(FORMATS))


def export_scenario(scenario, target_format: str) -> tuple[dict[str, str], Report]:
    """File name -> text of the scenario in ``target_format``, and the report of what it cannot say."""
    if target_format == "genius":
        from truce.interchange import genius_write

        return genius_write.write(scenario)
    if target_format == "geniusweb":
        from truce.interchange import geniusweb_write

        return geniusweb_write.write(scenario)
    if target_format == "ktab":
        from truce.interchange import ktab

        return ktab.write(scenario)
    raise InterchangeError("--to", "", repr(target_format), ", ".join(FORMATS))
