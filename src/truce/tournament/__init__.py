"""ANAC-style tournaments: strategies x scenarios x role assignments x repetitions, each match a batch.

:func:`run` is the whole of it: read a spec (:mod:`truce.tournament.spec`), play every match
(:mod:`truce.tournament.play`) and score every strategy (:mod:`truce.tournament.scores`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from truce.tournament.play import play_tournament, role_assignments, schedule
from truce.tournament.scores import TournamentResult
from truce.tournament.spec import SpecError, TournamentSpec, parse_spec, read_spec, resolve

__all__ = ["SpecError", "TournamentResult", "TournamentSpec", "parse_spec", "play_tournament", "read_spec", "resolve", "role_assignments", "run", "schedule"]


def run(path: str | Path, *, progress: Callable[[int], None] | None = None) -> TournamentResult:
    """Read the spec at ``path``, load its scenarios (relative to it) and play the tournament."""
    spec, source, folder = read_spec(path)
    contestants, venues = resolve(spec, source, folder)
    return play_tournament(spec, contestants, venues, progress=progress)
