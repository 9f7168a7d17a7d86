"""KTAB SMP input CSV import and export (issue 14), on a hand-written three-actor file
(tests/interchange/data/valley), read by the same reader as `truce forecast`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from truce.forecast import read_ktab_csv, smp
from truce.interchange import export_scenario, import_scenario
from truce.scenario import load
from truce.scenario.loading import validate

VALLEY = Path(__file__).parent / "data" / "valley" / "valley.csv"


def valley():
    data, report = import_scenario(VALLEY)
    return validate(data), report


def test_the_file_becomes_numeric_issues_on_0_100_and_one_party_per_actor():
    scenario, report = valley()
    assert scenario.name == "Valley" and scenario.description == "Hand-made test scenario, three actors"
    assert [issue.id for issue in scenario.issues] == ["water", "roads"]
    assert all(issue.range == (0.0, 100.0) for issue in scenario.issues)
    council = scenario.actors[2]
    assert (council.id, council.role, council.capability) == ("council", "party", 20.0)
    assert council.stances["water"].position == 50.5 and council.stances["water"].salience == pytest.approx(0.1)
    assert "every actor is a party" in report.text()


def test_the_compromise_forecast_of_the_import_is_the_hand_computed_weighted_mean():
    forecast = valley()[0].compile().forecast("compromise")
    # weights capability x salience: water 40 x .6 = 24, 60 x .5 = 30, 20 x .1 = 2; roads 16, 30, 18
    water = (24 * 20 + 30 * 80 + 2 * 50.5) / 56
    roads = (16 * 50 + 30 * 40 + 18 * 70) / 64
    np.testing.assert_allclose(forecast.forecast[-1], [water, roads], atol=1e-9)


def test_smp_on_the_import_runs_as_smp_on_the_csv():
    # every actor's saliences sum to 100 here, so the scenario route's per-actor normalisation changes nothing
    csv_input = read_ktab_csv(VALLEY)
    direct = smp(csv_input.capability, csv_input.positions, csv_input.salience)
    via_scenario = valley()[0].compile().forecast("smp")
    np.testing.assert_allclose(via_scenario.forecast[-1] / 100, direct.forecast, atol=1e-9)


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder / next(iter(files))


@pytest.mark.parametrize("name", ["valley", "three-party-truce", "gaza-ceasefire"])
def test_export_import_export_gives_the_same_file(tmp_path, name):
    scenario = valley()[0] if name == "valley" else load(name)
    first, _ = export_scenario(scenario, "ktab")
    second, _ = export_scenario(validate(import_scenario(_write(tmp_path / "first", first))[0]), "ktab")
    assert second == first


def test_import_export_import_gives_the_same_scenario(tmp_path):
    scenario, _ = valley()
    files, report = export_scenario(scenario, "ktab")
    assert files["scenario.csv"].splitlines()[2] == "Upstream,farmers,40,20,60,50,40"
    again = validate(import_scenario(_write(tmp_path / "out", files))[0])
    left, right = scenario.model_dump(), again.model_dump()
    left.pop("notes"), right.pop("notes")
    assert left == right


def test_the_export_reports_what_ktab_cannot_say():
    files, report = export_scenario(load("three-party-truce"), "ktab")
    text = report.text()
    assert "categorical, so it has no place on a 0-100 line" in text
    assert "ordered; option i of k written at 100 i / (k - 1)" in text


def test_the_export_keeps_the_compromise_forecast_of_the_flagship(tmp_path):
    from truce.forecast import weighted_mean

    scenario = load("gaza-ceasefire")
    path = _write(tmp_path / "out", export_scenario(scenario, "ktab")[0])
    ktab = read_ktab_csv(path)  # saliences all scaled by one factor: the weighted mean does not move
    expected = scenario.compile().forecast("compromise").forecast[-1]
    np.testing.assert_allclose(weighted_mean(ktab.positions, ktab.capability, ktab.salience) * 100, expected, atol=1e-8)
