"""A sweep's folder: its manifest and one Parquet file per committed task, written atomically.

Layout::

    OUT/sweep.json                 what sweep this is: its fingerprint, task count, file, scenario
    OUT/tasks/task-00000012.parquet one row per task, written once, whole or not at all
    OUT/points.csv, points.parquet the points' figures (written at the end)
    OUT/plot.html                  P(deal) against each parameter

A task is committed when its file appears under its final name: it is written to a temporary
file in the same folder, synced, then linked to its name (:func:`truce.files.write_output`: the
rename-or-link recipe of POSIX file systems). A sweep killed at any moment (SIGKILL included)
leaves every task either committed, whole, or absent; a leftover temporary file is never read.
``--resume`` plays only the absent tasks, and a task file is never written twice (the write
refuses an existing name), so no task is lost or counted twice. While a sweep runs it holds a
lock on ``OUT/lock`` (``flock``): a second sweep on the same folder is refused.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pandas as pd

from truce.errors import InputError

MANIFEST = "sweep.json"
TASKS = "tasks"
_TASK_FILE = re.compile(r"^task-(\d{8})\.parquet$")
BYTES_PER_TASK = 16_384
"""A generous size of one task's file (a one-row Parquet file is about 5-8 KB)."""
SPARE_BYTES = 16 * 2**20
"""Free space to keep beyond the sweep's own files (the points' tables, the plot)."""


class FolderError(InputError):
    """The sweep folder cannot be used (unwritable, full, another sweep's, in use): exit 2, before any work."""


def task_name(index: int) -> str:
    return f"task-{index:08d}.parquet"


class SweepFolder:
    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.tasks = self.root / TASKS
        self._lock = None

    # ------------------------------------------------------------ before the work
    def prepare(self, manifest: dict, *, resume: bool, force: bool, tasks: int) -> dict[int, Path]:
        """Make the folder ready and return the tasks committed already (only with ``resume``).

        Refused (:class:`FolderError`) before any work: an unwritable or full folder, a folder
        holding another sweep (``--resume`` with a changed file), a finished folder without
        ``--resume`` or ``--force``, a folder another sweep is using."""
        where = str(self.root)
        if self.root.exists() and not self.root.is_dir():
            raise FolderError(f"--out {where}: is not a folder; expected a folder for the sweep's files")
        try:
            self.tasks.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise FolderError(f"--out {where}: cannot create it ({error.strerror or error}); expected a writable folder") from None
        self._take_lock()
        earlier = self.manifest()
        committed = self.committed()
        if earlier is not None or committed:
            same = earlier is not None and earlier.get("fingerprint") == manifest["fingerprint"]
            if force:
                self._clear()
                committed = {}
            elif not resume:
                self.release()
                raise FolderError(
                    f"--out {where}: holds an earlier sweep ({len(committed):,} of {earlier.get('tasks', '?') if earlier else '?'} tasks committed); "
                    "expected --resume to finish it, --force to start over, or another --out folder"
                )
            elif not same:
                self.release()
                raise FolderError(
                    f"--out {where}: holds a different sweep (its sweep file, scenario or truce version differ: "
                    f"{earlier.get('sweep_file') if earlier else 'no manifest'}); expected the same sweep to resume, or --force to start over"
                )
        self._check_space((tasks - len(committed)) * BYTES_PER_TASK + SPARE_BYTES)
        self._check_writable()
        self._write(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        return committed

    def _take_lock(self) -> None:
        import fcntl

        try:
            handle = open(self.root / "lock", "a+")
        except OSError as error:
            raise FolderError(f"--out {self.root}: cannot write ({error.strerror or error}); expected a writable folder") from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise FolderError(f"--out {self.root}: another sweep is running in this folder; expected one sweep per folder at a time") from None
        self._lock = handle

    def release(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def _check_space(self, needed: int) -> None:
        free = shutil.disk_usage(self.root).free
        if free < needed:
            raise FolderError(
                f"--out {self.root}: {free / 2**20:,.1f} MiB free; expected at least {needed / 2**20:,.1f} MiB for the sweep's files"
            )

    def _check_writable(self) -> None:
        probe = self.tasks / ".write-check"
        try:
            with open(probe, "wb") as stream:
                stream.write(b"\0" * BYTES_PER_TASK)
                stream.flush()
                os.fsync(stream.fileno())
            probe.unlink()
        except OSError as error:
            try:
                probe.unlink()
            except OSError:
                pass
            raise FolderError(f"--out {self.root}: cannot write ({error.strerror or error}); expected a writable folder with free space") from None

    def _clear(self) -> None:
        for path in self.tasks.iterdir():
            if path.is_file():
                path.unlink()
        for name in (MANIFEST, "points.csv", "points.parquet", "plot.html"):
            (self.root / name).unlink(missing_ok=True)

    # ------------------------------------------------------------ reading
    def manifest(self) -> dict | None:
        try:
            return json.loads((self.root / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def committed(self) -> dict[int, Path]:
        """Committed tasks by index (a temporary file of a killed write has another name and is ignored)."""
        if not self.tasks.is_dir():
            return {}
        found = {}
        for entry in os.scandir(self.tasks):
            match = _TASK_FILE.match(entry.name)
            if match:
                found[int(match.group(1))] = Path(entry.path)
        return found

    def rows(self) -> pd.DataFrame:
        """Every committed task's row, in task order."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        tables = [pq.read_table(path) for _, path in sorted(self.committed().items())]
        if not tables:
            return pd.DataFrame()
        return pa.concat_tables(tables, promote_options="default").to_pandas().sort_values("task", kind="stable").reset_index(drop=True)

    # ------------------------------------------------------------ writing
    def commit(self, row: dict) -> Path:
        """Write one task's row as its own Parquet file (see the module docstring)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        sink = pa.BufferOutputStream()
        pq.write_table(pa.Table.from_pylist([row]), sink)
        return self._write(f"{TASKS}/{task_name(int(row['task']))}", sink.getvalue().to_pybytes(), force=False)

    def write(self, name: str, data: str | bytes) -> Path:
        return self._write(name, data)

    def _write(self, name: str, data: str | bytes, force: bool = True) -> Path:
        from truce.files import OutputRefused, write_output

        target = self.root / name
        try:
            return write_output(target, data, force=force)
        except OutputRefused as error:
            raise FolderError(f"--out {self.root}: {error}") from None
        except OSError as error:
            raise FolderError(f"--out {self.root}: cannot write {name} ({error.strerror or error}); expected a writable folder with free space") from None
