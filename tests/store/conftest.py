"""The run store's tests: a store named by TRUCE_STORE in a fresh folder."""

from __future__ import annotations

import pytest


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A store named by TRUCE_STORE (the suite opts out of recording everywhere else)."""
    monkeypatch.delenv("TRUCE_NO_STORE", raising=False)
    monkeypatch.setenv("TRUCE_STORE", str(tmp_path / "store"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "store"
