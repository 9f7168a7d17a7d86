"""Bad phases (and the deferral and breakdown numbers they rely on) through `truce validate`: exit 2,
no traceback, the file, the field's path and what was expected."""

from __future__ import annotations

import copy
import subprocess
import sys

import pytest
import yaml

from phased_cases import two_phase


def _edit(change):
    data = copy.deepcopy(two_phase())
    change(data)
    return data


CASES = {
    "unknown issue": (
        lambda d: d["phases"][1]["issues"].append("reconstruction"),
        "phases[1].issues[1]", "unknown issue 'reconstruction'; expected one of pause, final",
    ),
    "issue in two phases": (
        lambda d: d["phases"][1]["issues"].append("pause"),
        "phases[1].issues[1]", "issue 'pause' is already settled in phase 'pause' (phases[0]); expected each issue in one phase",
    ),
    "negative term": (
        lambda d: d["phases"][0].update(term_days=-3),
        "phases[0].term_days", "found -3; expected a number of days > 0",
    ),
    "deferral value above 1": (
        lambda d: d["actors"][0]["stances"]["final"].update(deferred=1.4),
        "actors[0].stances.final.deferred", "found 1.4; expected a value in [0, 1]",
    ),
    "breakdown risk 1.5": (
        lambda d: d.update(talks={"breakdown_risk": 1.5}),
        "talks.breakdown_risk", "expected",
    ),
    "later issue not deferrable": (
        lambda d: d["issues"][1].update(deferrable=False) or d["actors"][0]["stances"]["final"].pop("deferred") or d["actors"][1]["stances"]["final"].pop("deferred"),
        "phases[1].issues[0]", "expected deferrable: true on issues[1]",
    ),
    "issue in no phase": (
        lambda d: d["phases"].pop(),
        "phases", "issue(s) final in no phase; expected every issue in exactly one phase",
    ),
    "unknown source": (
        lambda d: d["phases"][0].update(sources=["nowhere"]),
        "phases[0].sources[0]", "unknown source 'nowhere'",
    ),
    "duplicate phase id": (
        lambda d: d["phases"][1].update(id="pause"),
        "phases[1].id", "duplicate id 'pause'",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_phase_input_names_file_field_and_expectation(tmp_path, case):
    change, field, words = CASES[case]
    path = tmp_path / "phased.yaml"
    path.write_text(yaml.safe_dump(_edit(change)))
    result = subprocess.run([sys.executable, "-m", "truce", "validate", str(path)], capture_output=True, text=True, env={"COLUMNS": "200", "PATH": ""})
    assert result.returncode == 2, result.stdout
    message = " ".join(result.stderr.split())
    assert str(path) in message and field in message and words in message, message
    assert "Traceback" not in result.stderr + result.stdout


def test_the_good_phased_file_is_valid(tmp_path):
    path = tmp_path / "phased.yaml"
    path.write_text(yaml.safe_dump(two_phase()))
    result = subprocess.run([sys.executable, "-m", "truce", "validate", str(path)], capture_output=True, text=True, env={"COLUMNS": "200", "PATH": ""})
    assert result.returncode == 0, result.stderr
