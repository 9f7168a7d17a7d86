"""Where runs are recorded, and whether: the ``--store``/``--no-store`` options and their variables.

- ``--no-store`` or ``TRUCE_NO_STORE`` (anything but ``""`` or ``0``): nothing is recorded;
- ``--store PATH`` or ``TRUCE_STORE=PATH``: record in PATH, *explicitly*: a store that cannot be
  written is then an error (exit 2, checked before any work);
- neither: record in ``.truce`` in the current folder; a store error is only a warning, since the
  user did not ask for the store and the command's own results are complete without it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

STORE_VARIABLE = "TRUCE_STORE"
NO_STORE_VARIABLE = "TRUCE_NO_STORE"
DEFAULT_FOLDER = ".truce"


@dataclass(frozen=True)
class StoreSettings:
    path: Path
    enabled: bool
    explicit: bool
    """The user named the store (option or variable): its errors are errors, not warnings."""

    @classmethod
    def resolve(cls, option: Path | None = None, no_store: bool = False, environ: dict[str, str] | None = None) -> "StoreSettings":
        environ = os.environ if environ is None else environ
        off = no_store or environ.get(NO_STORE_VARIABLE, "") not in ("", "0")
        if option is not None:
            return cls(path=Path(option), enabled=not no_store, explicit=True)
        named = environ.get(STORE_VARIABLE, "")
        if named:
            return cls(path=Path(named), enabled=not off, explicit=True)
        return cls(path=Path(DEFAULT_FOLDER), enabled=not off, explicit=False)
