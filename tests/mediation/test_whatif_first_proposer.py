"""``truce whatif --first-proposer`` (issue 17): as ``truce simulate`` and ``truce report`` take it,
passed to every variant's simulation, and refused before any work with the same message."""

from __future__ import annotations

import json
import subprocess
import sys

from truce import load
from truce.json_safe import finite
from truce.mediation.whatif import what_if


def truce(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "truce", *args], capture_output=True, text=True, env={"COLUMNS": "160", "PATH": "", "TRUCE_NO_STORE": "1"})


def test_every_variant_plays_with_the_chosen_first_proposer():
    given = truce("whatif", "gaza-2014-07", "--runs", "40", "--seed", "3", "--first-proposer", "israel", "--json")
    assert given.returncode == 0, given.stderr
    problem = load("gaza-2014-07").compile()
    expected = what_if(problem, runs=40, seed=3, first_proposer="israel").to_dict()
    assert expected["baseline"] != what_if(problem, runs=40, seed=3).to_dict()["baseline"]  # the option changes the runs here
    assert json.loads(given.stdout) == json.loads(json.dumps(finite(expected)))


def test_an_unknown_first_proposer_is_refused_as_simulate_refuses_it():
    for command in ("whatif", "simulate"):
        refused = truce(command, "gaza-2014-07", "--runs", "40", "--first-proposer", "egypt")
        assert refused.returncode == 2, command
        assert "--first-proposer: found 'egypt'; expected random, alternate or a party id (hamas, israel)" in refused.stderr, command
        assert "Traceback" not in refused.stderr
