"""Sensitivity where P(deal) cannot move (issue 17: an all-zero tornado, and Sobol leaked SALib's
RuntimeWarning and printed `0.00 ± 0.00` for indices that are undefined)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import yaml

from truce.cli import main
from truce.mediation.sensitivity import deal_sobol, one_at_a_time
from truce.scenario import validate

# each party's best package is worth 1 and any package the other accepts is worth 0 to it, while no
# deal is worth 0.8 to 0.9: no run can end in a deal, whatever the draw
NEVER = {
    "name": "Never a deal",
    "actors": [
        {"id": "a", "name": "A", "reservation": {"uniform": [0.8, 0.9]}, "stances": {"x": {"position": "low", "salience": 1}}},
        {"id": "b", "name": "B", "reservation": 0.8, "stances": {"x": {"position": "high", "salience": 1}}},
    ],
    "issues": [{"id": "x", "name": "X", "kind": "ordered", "options": ["low", "high"]}],
}


def test_p_deal_that_cannot_move_gives_zero_swings_and_undefined_indices():
    problem = validate(NEVER).compile()
    tornado = one_at_a_time(problem, runs=50, seed=1)
    assert tornado.baseline == 0.0 and [s.swing for s in tornado.swings] == [0.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        sobol = deal_sobol(problem, base_samples=16, seed=1)
    assert sobol.undefined and sobol.output_mean == 0.0 and np.isnan(sobol.first_order).all()
    assert sobol.to_dict()["undefined"] is True


@pytest.mark.parametrize(("method", "words"), [("oat", "No input moves P(deal)"), ("sobol", "the Sobol indices are undefined")])
def test_the_cli_says_why_instead_of_printing_zeros(tmp_path, monkeypatch, capsys, method, words):
    path = tmp_path / "never.yaml"
    path.write_text(yaml.safe_dump(NEVER))
    monkeypatch.setenv("COLUMNS", "300")
    monkeypatch.setattr("sys.argv", ["truce", "sensitivity", str(path), "--method", method, "--runs", "16"])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(SystemExit) as stopped:
            main()
    assert stopped.value.code == 0
    out = capsys.readouterr().out
    assert words in out and "0.00 ± 0.00" not in out and "0.0 pts" not in out
