"""A CSV forecast's errors name the actor and the dimension as the file does, not by index (issue 17)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "fuzz"))
from fuzz_cli import run_cli  # noqa: E402


def test_an_out_of_range_position_names_the_actor_of_the_file(tmp_path):
    path = tmp_path / "eu.csv"
    path.write_text("Actor,Capability,Position,Salience\nAlpha,0.5,0.2,0.8\nBravo,0.3,4,0.4\nCharlie,0.2,0.9,0.6\n", encoding="utf-8")
    code, _, err = run_cli(["forecast", str(path), "--model", "smp"])
    assert code == 2, err
    assert "position of actor 'Bravo' (row 2 of the actors) on dimension 'Position' is 4.0" in err, err
    assert "actor 1" not in err
