"""Readers for the two reference input formats of the forecasting models.

- KTAB's SMP CSV (examples/smp/doc/*.csv in the KTAB repository): a first
  line ``scenario name, description, n_actors, n_dims``; a header line
  ``Actor, Description, Power, <dim 1>, Sal1, <dim 2>, Sal2, ...``; then one
  line per actor with its name, description, capability ("Power") and a
  (position, salience) pair per dimension, on 0-100.
- The expected-utility example of Scholz, Calbert & Smith (2011), in the
  column layout of the jmckib/bdm-scholz-expected-utility-model
  replication: ``Actor, Capability, Position, Salience``.

Both return arrays on the engines' internal scale (FORECAST.md A and B.1):
KTAB positions and saliences divided by 100, capabilities as given.
Bad input raises ValueError naming the file, the row (1-based line number)
and column, and what was expected.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from truce.errors import InputError

__all__ = ["ExpectedUtilityInput", "KtabInput", "read_expected_utility_csv", "read_ktab_csv"]

KTAB_SCALE = 100.0
# KTAB accepts saliences summing to 100; allow for the rounding of decimals.
_KTAB_SALIENCE_SUM_TOLERANCE = 1e-9


@dataclass(frozen=True)
class KtabInput:
    """A KTAB SMP scenario on the internal scale.

    capability: (n_actors,); positions and salience: (n_actors, n_dims),
    in [0, 1].
    """

    scenario_name: str
    description: str
    actor_names: tuple[str, ...]
    actor_descriptions: tuple[str, ...]
    dimension_names: tuple[str, ...]
    capability: NDArray[np.float64]
    positions: NDArray[np.float64]
    salience: NDArray[np.float64]


@dataclass(frozen=True)
class ExpectedUtilityInput:
    """An expected-utility issue: capability (n,), positions and salience (n, 1)."""

    actor_names: tuple[str, ...]
    capability: NDArray[np.float64]
    positions: NDArray[np.float64]
    salience: NDArray[np.float64]


def _read_rows(path: Path) -> list[tuple[int, list[str]]]:
    """Non-blank CSV rows with their 1-based line numbers, fields stripped."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        rows = []
        for fields in reader:
            stripped = [field.strip() for field in fields]
            if any(stripped):
                rows.append((reader.line_num, stripped))
    return rows


def _number(
    path: Path,
    line: int,
    column: int,
    header: str,
    text: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
) -> float:
    where = f"{path}: row {line}, column {column} ({header})"
    if low is not None and high is not None:
        expected = f"a number in [{low:g}, {high:g}]"
    elif low is not None:
        expected = f"a number {'>' if low_open else '>='} {low:g}"
    else:
        expected = "a number"
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{where}: expected {expected}, got {text!r}") from None
    if not np.isfinite(value):
        raise InputError(f"{where}: expected {expected}, got {text!r}")
    if low is not None and (value < low or (low_open and value == low)):
        raise InputError(f"{where}: expected {expected}, got {text!r}")
    if high is not None and value > high:
        raise InputError(f"{where}: expected {expected}, got {text!r}")
    return value


def _count(path: Path, line: int, column: int, header: str, text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise InputError(
            f"{path}: row {line}, column {column} ({header}): expected a positive integer, "
            f"got {text!r}"
        )
    return value


def read_ktab_csv(path: str | Path) -> KtabInput:
    """Read a KTAB SMP input CSV (format of ktab_dummyData_3Dim_input.csv).

    Checks, as KTAB's reader does, that there are as many actors and
    dimensions as the first line says, that every capability is > 0, every
    position and salience lies in [0, 100], and that an actor's saliences
    sum to at most 100 and are not all 0.
    """
    path = Path(path)
    rows = _read_rows(path)
    if len(rows) < 2:
        raise InputError(
            f"{path}: expected a title line and a header line, found {len(rows)} non-blank line(s)"
        )
    title_line, title = rows[0]
    if len(title) < 4:
        raise InputError(
            f"{path}: row {title_line}: expected 'scenario name, description, number of actors, "
            f"number of dimensions', got {len(title)} field(s)"
        )
    n_actors = _count(path, title_line, 3, "number of actors", title[2])
    n_dims = _count(path, title_line, 4, "number of dimensions", title[3])
    header_line, header = rows[1]
    n_columns = 3 + 2 * n_dims
    if len(header) < n_columns or not all(header[:n_columns]):
        raise InputError(
            f"{path}: row {header_line}: expected {n_columns} column names (Actor, Description, "
            f"Power, then a position and a salience column per dimension), got {header!r}"
        )
    data = rows[2:]
    if len(data) != n_actors:
        raise InputError(
            f"{path}: row {title_line} announces {n_actors} actors, but {len(data)} actor "
            "row(s) follow the header"
        )
    capability = np.empty(n_actors)
    positions = np.empty((n_actors, n_dims))
    salience = np.empty((n_actors, n_dims))
    names: list[str] = []
    descriptions: list[str] = []
    for actor, (line, fields) in enumerate(data):
        if len(fields) < n_columns or any(field == "" for field in fields[2:n_columns]):
            raise InputError(
                f"{path}: row {line}: expected {n_columns} fields (name, description, power and "
                f"{n_dims} position/salience pairs), got {len(fields)} with "
                f"{sum(1 for field in fields[:n_columns] if field)} filled"
            )
        if not fields[0]:
            raise InputError(f"{path}: row {line}, column 1 ({header[0]}): expected an actor name")
        names.append(fields[0])
        descriptions.append(fields[1])
        capability[actor] = _number(path, line, 3, header[2], fields[2], low=0.0, low_open=True)
        for dim in range(n_dims):
            position_column = 3 + 2 * dim
            positions[actor, dim] = _number(
                path,
                line,
                position_column + 1,
                header[position_column],
                fields[position_column],
                low=0.0,
                high=KTAB_SCALE,
            )
            salience[actor, dim] = _number(
                path,
                line,
                position_column + 2,
                header[position_column + 1],
                fields[position_column + 1],
                low=0.0,
                high=KTAB_SCALE,
            )
        total = salience[actor].sum()
        if total > KTAB_SCALE + _KTAB_SALIENCE_SUM_TOLERANCE or total <= 0:
            raise InputError(
                f"{path}: row {line}: the saliences of actor {fields[0]!r} sum to {total:g}; "
                "expected a total greater than 0 and at most 100"
            )
    return KtabInput(
        scenario_name=title[0],
        description=title[1],
        actor_names=tuple(names),
        actor_descriptions=tuple(descriptions),
        dimension_names=tuple(header[3 + 2 * dim] for dim in range(n_dims)),
        capability=capability,
        positions=positions / KTAB_SCALE,
        salience=salience / KTAB_SCALE,
    )


_EU_COLUMNS = ("Actor", "Capability", "Position", "Salience")


def read_expected_utility_csv(path: str | Path) -> ExpectedUtilityInput:
    """Read an expected-utility issue CSV with columns Actor, Capability, Position, Salience.

    Column names are matched case-insensitively, in any order; extra
    columns are ignored. Capability must be >= 0, salience in [0, 1],
    position any finite number; at least two actors.
    """
    path = Path(path)
    rows = _read_rows(path)
    if not rows:
        raise InputError(
            f"{path}: expected a header line {', '.join(_EU_COLUMNS)}; the file is empty"
        )
    header_line, header = rows[0]
    lowered = [name.lower() for name in header]
    index = {}
    for column in _EU_COLUMNS:
        if column.lower() not in lowered:
            raise InputError(
                f"{path}: row {header_line}: expected a column named {column!r}; "
                f"found columns {header!r}"
            )
        index[column] = lowered.index(column.lower())
    data = rows[1:]
    if len(data) < 2:
        raise InputError(f"{path}: expected at least 2 actor rows, found {len(data)}")
    names: list[str] = []
    capability = np.empty(len(data))
    positions = np.empty(len(data))
    salience = np.empty(len(data))
    for actor, (line, fields) in enumerate(data):
        if len(fields) < len(header):
            fields = fields + [""] * (len(header) - len(fields))
        name_column = index["Actor"]
        if not fields[name_column]:
            raise InputError(
                f"{path}: row {line}, column {name_column + 1} (Actor): expected an actor name"
            )
        names.append(fields[name_column])
        column = index["Capability"]
        capability[actor] = _number(path, line, column + 1, "Capability", fields[column], low=0.0)
        column = index["Position"]
        positions[actor] = _number(path, line, column + 1, "Position", fields[column])
        column = index["Salience"]
        salience[actor] = _number(
            path, line, column + 1, "Salience", fields[column], low=0.0, high=1.0
        )
    return ExpectedUtilityInput(
        actor_names=tuple(names),
        capability=capability,
        positions=positions[:, None],
        salience=salience[:, None],
    )
