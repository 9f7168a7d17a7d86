"""Shared test helpers: random additive problems and brute-force references."""

from __future__ import annotations

import csv
import itertools
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
from hypothesis import strategies as st

from truce import Problem

# The suite records no run in a store (no .truce/ left in the repository); tests/store names its own.
os.environ.pop("TRUCE_STORE", None)
os.environ["TRUCE_NO_STORE"] = "1"
_start_process = subprocess.Popen.__init__


def _without_store(self, *args, env=None, **kwargs):
    """Many tests start `python -m truce` with a made-up environment (env={"PATH": ""}), which drops
    TRUCE_NO_STORE: such a child would record its run in .truce/ of the folder the suite runs in."""
    if env is not None and "TRUCE_STORE" not in env and "TRUCE_NO_STORE" not in env:
        env = {**env, "TRUCE_NO_STORE": "1"}
    _start_process(self, *args, env=env, **kwargs)


subprocess.Popen.__init__ = _without_store


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A run store named by TRUCE_STORE in a fresh folder (the suite opts out of recording everywhere else; tests/store)."""
    monkeypatch.delenv("TRUCE_NO_STORE", raising=False)
    monkeypatch.setenv("TRUCE_STORE", str(tmp_path / "store"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "store"


@st.composite
def problems(draw, max_parties: int = 3, max_issues: int = 4, max_options: int = 4, grid: int | None = None):
    """A random additive problem. With ``grid``, values sit on a coarse grid so that ties are common."""
    n_parties = draw(st.integers(2, max_parties))
    n_issues = draw(st.integers(1, max_issues))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(n_issues):
        n_options = draw(st.integers(1, max_options))
        table = rng.random((n_options, n_parties))
        if grid:
            table = np.round(table * grid) / grid
        values.append(table)
    weights = rng.random((n_parties, n_issues)) + 0.05
    if grid:
        weights = np.round(weights * grid) + 1
    weights /= weights.sum(axis=1, keepdims=True)
    reservation = rng.uniform(0.0, 0.7, n_parties)
    return Problem.from_arrays(values, weights, reservation)


def all_packages(problem: Problem) -> np.ndarray:
    """Every package of the product space (small problems only)."""
    return np.array(list(itertools.product(*[range(k) for k in problem.n_options])), dtype=np.int64)


def brute_force_frontier(utilities: np.ndarray) -> set[tuple[float, ...]]:
    """Distinct undominated utility vectors, by comparing every pair."""
    rounded = np.round(utilities, 9)
    frontier = set()
    for row in rounded:
        dominated = ((rounded >= row).all(axis=1) & (rounded > row).any(axis=1)).any()
        if not dominated:
            frontier.add(tuple(row))
    return frontier


SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
"""Reference data beside the repository (../shared/data), as CI has it."""


def shared_file(*parts: str) -> Path:
    """A reference file under ../shared/data, or skip the test saying where it was expected."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.is_file():
        pytest.skip(f"reference data not found at {path} (expected beside the repo in ../shared)")
    return path


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))
