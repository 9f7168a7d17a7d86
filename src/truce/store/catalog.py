"""The store's catalog: a DuckDB database over the recorded runs, for `truce runs`.

Tables of ``STORE/catalog.duckdb``:

- ``runs``: one row per run: ``run_id``, ``command``, ``arguments`` (JSON list), ``started``
  (UTC), ``seconds``, ``scenario`` (as given), ``scenario_name``, ``scenario_hash``, ``seed``,
  ``runs``, ``versions`` (JSON), ``summary`` (JSON: the aggregate results), ``tables`` (JSON: the
  per-run tables, their rows and columns);
- ``scenarios``: ``scenario_hash``, ``name``, ``content`` (the scenario as validated, JSON).

Each per-run table is a Parquet file that DuckDB reads in place (``read_parquet``). The catalog is an
index of the records under ``runs/``: opening it takes in, in one transaction, every record it does
not hold yet (:mod:`truce.store.record` writes records without it), and a lost or damaged catalog is
rebuilt from them. Opening waits a few seconds for another `truce runs` holding DuckDB's lock.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pandas as pd

from truce.errors import InputError
from truce.store.record import RECORD, RUNS, SCENARIOS

CATALOG = "catalog.duckdb"
WAIT_SECONDS = 5.0
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS runs (run_id VARCHAR PRIMARY KEY, command VARCHAR, arguments VARCHAR, started TIMESTAMP, "
    "seconds DOUBLE, scenario VARCHAR, scenario_name VARCHAR, scenario_hash VARCHAR, seed HUGEINT, runs BIGINT, "
    "versions VARCHAR, summary VARCHAR, tables VARCHAR)",
    "CREATE TABLE IF NOT EXISTS scenarios (scenario_hash VARCHAR PRIMARY KEY, name VARCHAR, content VARCHAR)",
)
COLUMNS = ("run_id", "command", "arguments", "started", "seconds", "scenario", "scenario_name", "scenario_hash", "seed", "runs", "versions", "summary", "tables")


class StoreError(InputError):
    """The store cannot be read as asked (no such run, an ambiguous id, no store there): exit 2."""


class Catalog:
    """The catalog of the store at ``root``, brought up to date with its records (a context manager)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        if not (self.root / RUNS).is_dir():
            raise StoreError(f"--store {self.root}: no runs recorded there; expected a store folder (runs are recorded in .truce/ by default)")
        self.connection = self._connect()
        try:
            for statement in SCHEMA:
                self.connection.execute(statement)
            self.ingest()
        except BaseException:
            self.connection.close()
            raise

    def __enter__(self) -> "Catalog":
        return self

    def __exit__(self, *exc) -> bool:
        self.connection.close()
        return False

    def _connect(self):
        import duckdb

        path = self.root / CATALOG
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            try:
                return duckdb.connect(str(path))
            except duckdb.IOException as error:
                if "lock" in str(error).lower() and time.monotonic() < deadline:
                    time.sleep(0.1)
                    continue
                if "lock" in str(error).lower():
                    raise StoreError(f"--store {self.root}: the catalog is in use by another process; expected it free within {WAIT_SECONDS:g} s") from None
                # not a DuckDB database (damaged, or written by another version): rebuilt from the records
                path.rename(path.with_name(f"{CATALOG}.unreadable-{int(time.time())}"))
            except duckdb.Error:
                path.rename(path.with_name(f"{CATALOG}.unreadable-{int(time.time())}"))

    def ingest(self) -> int:
        """Take in every record under ``runs/`` that the catalog does not hold; returns how many."""
        known = {row[0] for row in self.connection.execute("SELECT run_id FROM runs").fetchall()}
        fresh = []
        for folder in sorted((self.root / RUNS).iterdir()):
            if folder.name in known or not (folder / RECORD).is_file():
                continue
            try:
                fresh.append(json.loads((folder / RECORD).read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue  # a record that cannot be read is skipped, never half taken in
        if not fresh:
            return 0
        self.connection.execute("BEGIN TRANSACTION")
        try:
            for record in fresh:
                row = [record.get(column) for column in COLUMNS]
                for k in (2, 10, 11, 12):
                    row[k] = json.dumps(row[k])
                self.connection.execute(f"INSERT INTO runs VALUES ({', '.join('?' * len(COLUMNS))}) ON CONFLICT DO NOTHING", row)
                named = [(record.get("scenario_hash"), record.get("scenario_name"))]
                named += [(more.get("scenario_hash"), more.get("scenario_name")) for more in record.get("more_scenarios") or []]
                for digest, name in named:
                    copy = self.root / SCENARIOS / f"{digest}.json"
                    if digest and copy.is_file():
                        self.connection.execute("INSERT INTO scenarios VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [digest, name, copy.read_text(encoding="utf-8")])
            self.connection.execute("COMMIT")
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        return len(fresh)

    # ------------------------------------------------------------------ queries
    def runs(self, command: str | None = None, scenario: str | None = None, limit: int | None = None) -> pd.DataFrame:
        """The runs, newest first, optionally of one command or scenario (its name as given, or its name)."""
        where, values = [], []
        if command:
            where.append("command = ?")
            values.append(command)
        if scenario:
            where.append("(scenario = ? OR scenario_name = ?)")
            values += [scenario, scenario]
        sql = "SELECT * FROM runs" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY started DESC, run_id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return self.connection.execute(sql, values).df()

    def find(self, wanted: str) -> dict:
        """The run whose id is ``wanted`` or starts with it (``last``: the newest run; ``last~N``: the N-th before it),
        as a dict with JSON fields decoded."""
        relative = re.fullmatch(r"last(?:~(\d{1,6}))?", wanted)
        if relative:
            back = int(relative.group(1) or 0)
            rows = self.connection.execute(f"SELECT * FROM runs ORDER BY started DESC, run_id DESC LIMIT 1 OFFSET {back}").df()
        else:
            rows = self.connection.execute("SELECT * FROM runs WHERE starts_with(run_id, ?) ORDER BY run_id", [wanted]).df()
        if len(rows) == 0:
            raise StoreError(f"run {wanted!r}: no such run in {self.root}; expected a run id from `truce runs list` (or a unique start of one, last or last~N)")
        if len(rows) > 1:
            raise StoreError(f"run {wanted!r}: {len(rows)} runs start so ({', '.join(rows['run_id'][:5])}); expected a longer start of one id")
        found = rows.iloc[0].to_dict()
        for key in ("arguments", "versions", "summary", "tables"):
            found[key] = json.loads(found[key]) if found[key] else None
        return found

    def table(self, run_id: str, name: str) -> pd.DataFrame:
        path = self.root / RUNS / run_id / f"{name}.parquet"
        return self.connection.execute("SELECT * FROM read_parquet(?)", [str(path)]).df()

    def scenario(self, digest: str) -> str | None:
        row = self.connection.execute("SELECT content FROM scenarios WHERE scenario_hash = ?", [digest]).fetchone()
        return None if row is None else row[0]
