"""Recording one run: its record (``run.json``), its tables (Parquet) and a copy of its scenario.

Layout of a store::

    STORE/runs/RUN_ID/run.json          the record: command, arguments, when, how long, scenario name and
                                        content hash, seed, runs, package versions, aggregate results
    STORE/runs/RUN_ID/TABLE.parquet     its per-run tables (one row per Monte Carlo run, per lever, ...)
    STORE/scenarios/HASH.json           the scenario as validated, once per content (and any other scenario
                                        the run used, e.g. compare's second, named in ``more_scenarios``)
    STORE/catalog.duckdb                the catalog `truce runs` queries (:mod:`truce.store.catalog`)

Each file is written whole or not at all (:func:`truce.files.write_output`), ``run.json`` last: a run
is in the store once its record is, with every table it names. Recording needs neither DuckDB nor a
lock, so commands that run at the same time record side by side; the catalog takes the new records
in when it is next opened. A run id sorts by time: ``20261203T142501-3f9a1c``.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

RUNS = "runs"
SCENARIOS = "scenarios"
RECORD = "run.json"
VERSIONED = ("truce", "numpy", "scipy", "pandas", "pydantic", "numba", "pyarrow", "duckdb", "dask", "distributed")
"""Packages whose versions each record keeps (those that shape the numbers or the files)."""


@dataclass
class RunRecord:
    """What a command ran and what it found; ``tables``: name -> DataFrame, written as Parquet."""

    command: str
    arguments: list[str]
    started: datetime
    seconds: float
    scenario: str | None = None
    scenario_name: str | None = None
    scenario_json: str | None = None
    seed: int | None = None
    runs: int | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, Any] = field(default_factory=dict)
    run_id: str = ""
    more_scenarios: tuple[tuple[str, str], ...] = ()
    """Other scenarios the run used (``truce compare``'s B): (name, content as validated JSON), each copied like the first."""

    @property
    def scenario_hash(self) -> str | None:
        """SHA-256 of the scenario as validated (defaults filled in): the same content, the same hash, whatever its file."""
        if self.scenario_json is None:
            return None
        return hashlib.sha256(self.scenario_json.encode("utf-8")).hexdigest()


def new_run_id(when: datetime) -> str:
    return f"{when.astimezone(timezone.utc):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


def versions() -> dict[str, str | None]:
    from importlib import metadata

    found = {}
    for name in VERSIONED:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def write_run(store: Path, record: RunRecord) -> str:
    """Write ``record`` into the store at ``store`` and return its run id (OSError and friends propagate)."""
    from truce.files import write_output
    from truce.json_safe import finite

    store = Path(store)
    record.run_id = record.run_id or new_run_id(record.started)
    folder = store / RUNS / record.run_id
    folder.mkdir(parents=True, exist_ok=False)
    tables = {}
    for name, frame in record.tables.items():
        if frame is None:
            continue
        started = time.perf_counter()
        write_output(folder / f"{name}.parquet", _parquet(frame))
        tables[name] = {"rows": int(len(frame)), "columns": [str(c) for c in frame.columns], "write_seconds": time.perf_counter() - started}
    digest = record.scenario_hash
    more = [(name, hashlib.sha256(content.encode("utf-8")).hexdigest(), content) for name, content in record.more_scenarios]
    for key, content in ([(digest, record.scenario_json)] if digest is not None else []) + [(key, content) for _, key, content in more]:
        copy = store / SCENARIOS / f"{key}.json"
        if not copy.exists():
            copy.parent.mkdir(parents=True, exist_ok=True)
            write_output(copy, content, force=True)
    document = {
        "run_id": record.run_id, "command": record.command, "arguments": record.arguments,
        "started": record.started.astimezone(timezone.utc).isoformat(), "seconds": record.seconds,
        "scenario": record.scenario, "scenario_name": record.scenario_name, "scenario_hash": digest,
        "seed": record.seed, "runs": record.runs, "versions": versions(), "summary": finite(record.summary), "tables": tables,
    }
    if more:
        document["more_scenarios"] = [{"scenario_name": name, "scenario_hash": key} for name, key, _ in more]
    write_output(folder / RECORD, json.dumps(document, indent=1, allow_nan=False, default=_plain) + "\n")
    return record.run_id


def _parquet(frame) -> bytes:
    import io

    buffer = io.BytesIO()
    frame = frame.copy()
    frame.columns = [str(column) for column in frame.columns]
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def _plain(value: Any) -> Any:
    """numpy scalars and arrays, paths and dates as JSON."""
    import numpy as np

    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (Path, datetime)):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def read_record(store: Path, run_id: str) -> dict:
    return json.loads((Path(store) / RUNS / run_id / RECORD).read_text(encoding="utf-8"))
