"""GeniusWeb session settings: the deadline of a negotiation, for the imported scenario's rounds.

A settings file is ``{"SAOPSettings": {"participants": [...], "deadline": {...}}}`` (any protocol's
``...Settings`` key: SAOP, MOPAC, learning). Its deadline (geniusweb.deadline) is either
``{"DeadlineRounds": {"rounds": N, "durationms": T}}`` (at most N rounds, and T milliseconds) or
``{"DeadlineTime": {"durationms": T}}`` (T milliseconds of wall-clock time); newer files write the keys
in lower case. truce negotiates in rounds, so N becomes the scenario's ``rounds`` and a time limit
has no counterpart: the import keeps the rounds (or the default) and reports the limit it dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from truce.interchange.common import InterchangeError, Report, exact_text, finite_number

MAX_ROUNDS = 100_000


@dataclass(frozen=True)
class Deadline:
    path: Path
    rounds: int | None
    """The round limit (DeadlineRounds), None for a time limit only."""
    seconds: float | None


def is_settings(data) -> bool:
    """One top-level key naming a protocol's settings (``SAOPSettings``, ``MOPACSettings``, ...) with a deadline."""
    if not isinstance(data, dict) or len(data) != 1:
        return False
    (key, body), = data.items()
    return key.lower().endswith("settings") and isinstance(body, dict) and "deadline" in body


def read_deadline(path: Path, data: dict) -> Deadline:
    (key, body), = data.items()
    deadline = body["deadline"]
    where = f"{key}.deadline"
    kinds = {name.lower(): name for name in deadline} if isinstance(deadline, dict) else {}
    if len(kinds) != 1 or not set(kinds) <= {"deadlinerounds", "deadlinetime"}:
        found = ", ".join(kinds.values()) or "nothing"
        raise InterchangeError(path, where, found, "one of DeadlineRounds {rounds, durationms} or DeadlineTime {durationms}")
    (kind, name), = kinds.items()
    terms = deadline[name]
    if not isinstance(terms, dict):
        raise InterchangeError(path, f"{where}.{name}", type(terms).__name__, "an object with durationms (and rounds)")
    milliseconds = finite_number(path, f"{where}.{name}.durationms", terms.get("durationms"), "a duration in milliseconds > 0")
    if milliseconds <= 0:
        raise InterchangeError(path, f"{where}.{name}.durationms", exact_text(milliseconds), "a duration in milliseconds > 0")
    rounds = None
    if kind == "deadlinerounds":
        value = terms.get("rounds")
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ROUNDS:
            raise InterchangeError(path, f"{where}.{name}.rounds", repr(value), f"a whole number of rounds from 1 to {MAX_ROUNDS:,}")
        rounds = value
    return Deadline(path, rounds, milliseconds / 1000)


def deadline_rounds(deadline: Deadline | None, rounds: int | None, default: int, report: Report) -> int:
    """The scenario's rounds: ``rounds`` when the user gave it, else the settings' round limit, else
    ``default``; every limit the scenario cannot keep is reported."""
    if deadline is None:
        return rounds or default
    chosen = rounds or deadline.rounds or default
    name = deadline.path.name
    if deadline.rounds is None:
        report.add(f"{name}: a deadline of {deadline.seconds:g} s of negotiation time (DeadlineTime); truce negotiates in rounds, "
                   f"so {chosen} rounds stand in for it ({'--rounds' if rounds else 'the default; set --rounds'})")
    else:
        report.add(f"{name}: the time limit of {deadline.seconds:g} s beside the {deadline.rounds} rounds is dropped; truce's deadline is in rounds only")
        if rounds and rounds != deadline.rounds:
            report.add(f"{name}: the settings' {deadline.rounds} rounds are replaced by --rounds {rounds}")
    return chosen
