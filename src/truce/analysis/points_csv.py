"""Read a point allocation for Adjusted Winner: a CSV of issues and each party's 100 points.

The format (docs/reference/cli.md, ``truce divide``)::

    issue,Party A,Party B
    # lines whose first field starts with '#' are comments (sources, notes)
    Retirement account,50,40
    Home,20,30

A header row names the issue column (any label) and the two parties; each
further row gives an issue's name and each party's points (numbers >= 0).
Each party's points must add up to 100. Errors raise :class:`PointsError`
naming the file, the row (1-based line number), the column and what was
expected.
"""

from __future__ import annotations

import csv
import io
import math
import stat
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from truce.analysis.division import POINTS_TOLERANCE, POINTS_TOTAL
from truce.limits import Limits

MAX_ISSUES = 10_000
"""Rows a point file may hold (Adjusted Winner is for a handful of issues)."""


class PointsError(ValueError):
    """A point file that cannot be read or does not follow the format."""


@dataclass(frozen=True)
class PointAllocation:
    party_names: tuple[str, str]
    issue_names: tuple[str, ...]
    points: np.ndarray
    """(n_issues, 2)."""


def read_points_csv(path: str | Path, limits: Limits | None = None) -> PointAllocation:
    """Read and check a point file (see the module docstring for the format)."""
    path = Path(path)
    text = _read_text(path, limits or Limits.from_env())
    return parse_points_csv(text, source=str(path))


def _read_text(path: Path, limits: Limits) -> str:
    try:
        status = path.stat()
    except FileNotFoundError:
        raise PointsError(f"{path}: no such file; expected a CSV of issues and points") from None
    except OSError as error:
        raise PointsError(f"{path}: cannot read ({error.strerror}); expected a readable CSV file") from None
    if stat.S_ISDIR(status.st_mode):
        raise PointsError(f"{path}: is a folder; expected a CSV file")
    if not stat.S_ISREG(status.st_mode):
        raise PointsError(f"{path}: is not a regular file; expected a CSV file")
    most = limits.max_file_bytes
    try:
        with path.open("rb") as stream:
            content = stream.read(most + 1)
    except OSError as error:
        raise PointsError(f"{path}: cannot read ({error.strerror}); expected a readable CSV file") from None
    if len(content) > most:
        raise PointsError(f"{path}: larger than {most:,} bytes; expected at most that (TRUCE_MAX_FILE_BYTES)")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PointsError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start}); expected a UTF-8 CSV file") from None


def parse_points_csv(text: str, *, source: str = "<points>") -> PointAllocation:
    """Check CSV text of issues and points; PointsError names the row, column and expectation."""
    try:
        rows = [
            (reader_line, [field.strip() for field in fields])
            for reader_line, fields in _rows(text)
            if any(field.strip() for field in fields) and not fields[0].strip().startswith("#")
        ]
    except csv.Error as error:
        raise PointsError(f"{source}: not valid CSV ({error}); expected comma-separated rows") from None
    if not rows:
        raise PointsError(f"{source}: empty; expected a header row 'issue,PARTY,PARTY' and one row per issue")
    header_line, header = rows[0]
    if len(header) != 3 or not header[1] or not header[2]:
        raise PointsError(
            f"{source}: row {header_line}: expected a header of three columns 'issue,PARTY,PARTY' naming the two parties, "
            f"found {len(header)} column(s): {','.join(header)[:80]!r}"
        )
    party_names = (header[1], header[2])
    if party_names[0] == party_names[1]:
        raise PointsError(f"{source}: row {header_line}, column 3: the two parties need different names; found {party_names[1]!r} twice")
    if len(rows) == 1:
        raise PointsError(f"{source}: no issue rows after the header; expected one row per issue")
    if len(rows) - 1 > MAX_ISSUES:
        raise PointsError(f"{source}: {len(rows) - 1:,} issue rows; expected at most {MAX_ISSUES:,}")
    names: list[str] = []
    seen: dict[str, int] = {}
    points = np.zeros((len(rows) - 1, 2))
    for i, (line, fields) in enumerate(rows[1:]):
        if len(fields) != 3:
            raise PointsError(f"{source}: row {line}: expected 3 columns (issue, {party_names[0]}, {party_names[1]}), found {len(fields)}")
        name = fields[0]
        if name in seen:
            raise PointsError(f"{source}: row {line}, column 1 ({header[0] or 'issue'}): issue {name!r} is already on row {seen[name]}; expected each issue once")
        seen[name] = line
        names.append(name)
        for p in (0, 1):
            points[i, p] = _points(source, line, p + 2, party_names[p], fields[p + 1])
    sums = points.sum(axis=0)
    for p in (0, 1):
        if abs(sums[p] - POINTS_TOTAL) > POINTS_TOLERANCE:
            raise PointsError(
                f"{source}: column {p + 2} ({party_names[p]}): the points add up to {sums[p]:g}; "
                f"expected each party to spread exactly {POINTS_TOTAL:g} points over the issues"
            )
    return PointAllocation(party_names=party_names, issue_names=tuple(names), points=points)


def _rows(text: str):
    reader = csv.reader(io.StringIO(text, newline=""))
    for fields in reader:
        yield reader.line_num, fields


def _points(source: str, line: int, column: int, party: str, text: str) -> float:
    where = f"{source}: row {line}, column {column} ({party})"
    try:
        value = float(text)
    except ValueError:
        raise PointsError(f"{where}: expected a number of points >= 0, found {text[:40]!r}") from None
    if not math.isfinite(value) or value < 0:
        raise PointsError(f"{where}: expected a number of points >= 0, found {text[:40]!r}")
    return value
