"""Every main command is readable at 80 columns (issue 17): no line longer than 80 characters, no
word cut to 'perman…', no table row stacked more than seven lines high (the sources of `truce
strategies` once took nine). Commands run in this process with the consoles set to 80 columns."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fuzz"))
from fuzz_cli import run_cli  # noqa: E402

from truce.cli import common  # noqa: E402

COMMANDS = [
    ["scenarios"],
    ["show", "gaza-ceasefire"],
    ["show", "three-party-truce"],
    ["validate", "gaza-ceasefire"],
    ["analyze", "gaza-ceasefire"],
    ["analyze", "three-party-truce"],
    ["strategies"],
    ["levers"],
    ["levers", "gaza-ceasefire"],
    ["divide", "gaza-ceasefire"],
    ["explain", "gaza-ceasefire"],
    ["forecast", "gaza-ceasefire"],
    ["simulate", "gaza-ceasefire", "--runs", "40"],
    ["simulate", "three-party-truce", "--runs", "40"],
    ["durability", "gaza-ceasefire", "--runs", "40"],
    ["whatif", "gaza-ceasefire", "--runs", "20"],
    ["sensitivity", "gaza-ceasefire", "--runs", "20"],
    ["compare", "two-issue-trade", "three-party-truce", "--runs", "20"],
    ["backtest", "israel-hamas", "--runs", "4"],
]
WIDTH = 80
TALLEST_ROW = 7
_CONTINUED = re.compile(r"^│ +│")
"""A table line whose first cell is empty: the row above goes on."""


@pytest.fixture()
def eighty_columns(monkeypatch):
    monkeypatch.setattr(common.console, "_width", WIDTH)
    monkeypatch.setattr(common.errors, "_width", WIDTH)


def tallest_row(lines: list[str]) -> int:
    tallest = height = 0
    for line in lines:
        if line.startswith("│"):
            height = height + 1 if _CONTINUED.match(line) else 1
            tallest = max(tallest, height)
        else:
            height = 0
    return tallest


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(args[:2]) for args in COMMANDS])
def test_the_command_fits_80_columns(args, eighty_columns):
    code, out, err = run_cli(args)
    assert code == 0, err[-2000:]
    lines = out.splitlines()
    assert lines
    too_long = [line for line in lines if len(line.rstrip()) > WIDTH]
    assert not too_long, too_long[:3]
    cut = [line for line in lines if "\u2026" in line]
    assert not cut, cut[:3]
    assert tallest_row(lines) <= TALLEST_ROW, out


def test_a_table_too_wide_is_printed_row_by_row_and_one_that_fits_as_a_table(eighty_columns, capsys):
    from rich.table import Table

    wide = Table(title="Wide")
    for name in ("actor", "position", "salience", "capability", "no-deal value", "cost of delay"):
        wide.add_column(name)
    wide.add_row("hamas", "permanent ceasefire", "0.9 (triangular: 0.7 to 1)", "1", "0.6 (triangular: 0.5 to 0.68)", "0.001 (triangular: 0.0005 to 0.002)")
    wide.add_row("egypt", "phased to permanent", "0.8", "0.7", "", "")
    common.console.print(wide)
    printed = capsys.readouterr().out.splitlines()
    assert [line.rstrip() for line in printed] == [
        "Wide",
        "actor: hamas",
        "  position: permanent ceasefire",
        "  salience: 0.9 (triangular: 0.7 to 1)",
        "  capability: 1",
        "  no-deal value: 0.6 (triangular: 0.5 to 0.68)",
        "  cost of delay: 0.001 (triangular: 0.0005 to 0.002)",
        "actor: egypt",
        "  position: phased to permanent",
        "  salience: 0.8",
        "  capability: 0.7",
    ]
    narrow = Table(title="Narrow")
    narrow.add_column("actor")
    narrow.add_column("salience")
    narrow.add_row("hamas", "0.9")
    common.console.print(narrow)
    drawn = capsys.readouterr().out
    assert "┃ actor" in drawn and "│ hamas" in drawn
