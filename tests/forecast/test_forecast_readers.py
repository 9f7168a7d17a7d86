"""Readers of the KTAB and expected-utility CSV formats."""

from pathlib import Path

import numpy as np
import pytest

from conftest import shared_file
from truce.forecast import read_expected_utility_csv, read_ktab_csv

KTAB_TEXT = """Tiny ,"A two-actor test",2,2,
Actor,Description,Power,Border,Sal1,Aid,Sal2,
A-1, first, 10.0, 20.00, 50.00, 80.00, 50.00,
B-2, second, 30.0, 60.00, 25.00, 10.00, 25.00,
"""

EU_TEXT = """Actor,Capability,Position,Salience
North,0.5,2,0.8
South,0.25,8,0.4
"""


def write(tmp_path: Path, text: str, name: str = "input.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_ktab_reference_input():
    path = shared_file("ktab", "ktab_dummyData_3Dim_input.csv")
    scenario = read_ktab_csv(path)
    assert scenario.scenario_name == "DummyData_3Dim"
    assert scenario.actor_names[0] == "SActor-00"
    assert scenario.dimension_names == ("Pstn1", "Pstn2", "Pstn3")
    assert scenario.capability[2] == 129.643
    assert scenario.positions.shape == (7, 3)
    assert scenario.positions[0, 1] == pytest.approx(0.0637)
    assert scenario.salience[6, 2] == pytest.approx(0.2603)


def test_ktab_small_file(tmp_path):
    scenario = read_ktab_csv(write(tmp_path, KTAB_TEXT))
    assert scenario.actor_names == ("A-1", "B-2")
    assert scenario.actor_descriptions == ("first", "second")
    assert scenario.dimension_names == ("Border", "Aid")
    np.testing.assert_allclose(scenario.capability, [10.0, 30.0])
    np.testing.assert_allclose(scenario.positions, [[0.2, 0.8], [0.6, 0.1]])
    np.testing.assert_allclose(scenario.salience, [[0.5, 0.5], [0.25, 0.25]])


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "10.0, 20.00",
            "ten, 20.00",
            r"row 3, column 3 \(Power\): expected a number > 0, got 'ten'",
        ),
        ("10.0, 20.00", "0, 20.00", r"row 3, column 3 \(Power\)"),
        (
            "60.00, 25.00",
            "160.00, 25.00",
            r"row 4, column 4 \(Border\): expected a number in \[0, 100\]",
        ),
        ("10.00, 25.00,\n", "10.00, -5,\n", r"row 4, column 7 \(Sal2\)"),
        (
            "20.00, 50.00, 80.00, 50.00",
            "20.00, 60.00, 80.00, 50.00",
            "sum to 110; expected a total",
        ),
        ('"A two-actor test",2,2', '"A two-actor test",3,2', "announces 3 actors, but 2 actor row"),
        (
            '"A two-actor test",2,2',
            '"A two-actor test",2,x',
            r"row 1, column 4 \(number of dimensions\)",
        ),
        (
            "B-2, second, 30.0, 60.00, 25.00, 10.00, 25.00",
            "B-2, second, 30.0, 60.00",
            "row 4: expected 7 fields",
        ),
    ],
)
def test_ktab_bad_input_names_file_row_and_column(tmp_path, old, new, message):
    assert old in KTAB_TEXT
    path = write(tmp_path, KTAB_TEXT.replace(old, new, 1))
    with pytest.raises(ValueError, match=message) as error:
        read_ktab_csv(path)
    assert str(path) in str(error.value)


def test_eu_reference_input():
    path = shared_file("bdm", "scholz2011_EU_example_input.csv")
    example = read_expected_utility_csv(path)
    assert example.actor_names[:3] == ("Netherlands", "Belgium", "Luxembourg")
    assert example.positions.shape == (10, 1)
    assert example.capability.sum() == pytest.approx(1.01)
    assert example.salience[8, 0] == 1.0


def test_eu_small_file_with_columns_in_any_order(tmp_path):
    text = "salience,ACTOR,position,capability,Note\n0.8,North,2,0.5,x\n0.4,South,8,0.25,y\n"
    example = read_expected_utility_csv(write(tmp_path, text))
    assert example.actor_names == ("North", "South")
    np.testing.assert_allclose(example.positions[:, 0], [2, 8])
    np.testing.assert_allclose(example.salience[:, 0], [0.8, 0.4])


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("Salience", "Weight", "expected a column named 'Salience'"),
        ("0.5,2,0.8", "0.5,2,1.8", r"row 2, column 4 \(Salience\): expected a number in \[0, 1\]"),
        ("0.25,8", "-0.25,8", r"row 3, column 2 \(Capability\): expected a number >= 0"),
        ("0.25,8", "0.25,eight", r"row 3, column 3 \(Position\): expected a number, got 'eight'"),
        ("South,0.25,8,0.4\n", "", "expected at least 2 actor rows"),
    ],
)
def test_eu_bad_input_names_file_row_and_column(tmp_path, old, new, message):
    path = write(tmp_path, EU_TEXT.replace(old, new, 1))
    with pytest.raises(ValueError, match=message) as error:
        read_expected_utility_csv(path)
    assert str(path) in str(error.value)
