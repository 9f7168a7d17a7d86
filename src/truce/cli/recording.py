"""Recording a command's run in the store (:mod:`truce.store`), from the command line.

The app's callback notes when the command started and which store applies (``--store``,
``--no-store``, ``TRUCE_STORE``, ``TRUCE_NO_STORE``); an explicit store is checked then, before any
work. Each recording command calls :func:`record` once its results are in. A store that cannot be
written never fails a command on its own: it is a warning, unless the user named the store
(then exit 2, as for any output the user asked for).
"""

from __future__ import annotations

import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from truce.cli.common import UserError, errors

_SESSION: dict[str, Any] = {}


def begin(option: Path | None, no_store: bool) -> None:
    """Called by the app's callback: the start time, the command line and the store's settings."""
    from truce.store.settings import StoreSettings

    settings = StoreSettings.resolve(option, no_store)
    _SESSION.update(started=datetime.now(timezone.utc), clock=time.perf_counter(), arguments=list(sys.argv[1:]), settings=settings)
    if settings.enabled and settings.explicit:
        try:
            settings.path.mkdir(parents=True, exist_ok=True)
            probe = settings.path / ".write-check"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as error:
            raise UserError(f"--store {settings.path}: cannot write ({error.strerror or error}); expected a writable folder, or --no-store") from None


def record(command: str, scenario: str | None = None, loaded=None, *, seed: int | None = None, runs: int | None = None,
           summary: dict | None = None, tables: dict | None = None, more_scenarios: tuple = ()) -> str | None:
    """Record the run (see the module docstring); returns its id, or None when nothing was recorded.
    ``more_scenarios``: other loaded scenarios the run used (compare's B), copied into the store with the first."""
    settings = _SESSION.get("settings")
    if settings is None or not settings.enabled:
        return None
    try:
        from truce.store.record import RunRecord, write_run

        if loaded is None and scenario is not None:
            from truce.scenario import load

            loaded = load(scenario)
        entry = RunRecord(
            command=command, arguments=_SESSION["arguments"], started=_SESSION["started"],
            seconds=time.perf_counter() - _SESSION["clock"], scenario=scenario,
            scenario_name=None if loaded is None else loaded.name,
            scenario_json=None if loaded is None else loaded.model_dump_json(),
            seed=seed, runs=runs, summary=summary or {}, tables=tables or {},
            more_scenarios=tuple((other.name, other.model_dump_json()) for other in more_scenarios),
        )
        return write_run(settings.path, entry)
    except Exception as error:  # noqa: BLE001 - recording must never fail the command by itself
        reason = f"{type(error).__name__}: {str(error).splitlines()[0][:200]}" if str(error) else type(error).__name__
        if settings.explicit:
            raise UserError(f"--store {settings.path}: cannot record the run ({reason}); expected a writable store, or --no-store") from None
        errors.print(
            f"warning: the run was not recorded in {settings.path} ({reason}); the results are complete without it "
            "(--no-store or TRUCE_NO_STORE=1 to stop recording)", markup=False, highlight=False,
        )
        return None


def store_path() -> Path:
    settings = _SESSION.get("settings")
    if settings is None:
        from truce.store.settings import StoreSettings

        settings = StoreSettings.resolve()
    return settings.path
