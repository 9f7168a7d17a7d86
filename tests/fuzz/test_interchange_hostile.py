"""Hostile and malformed GENIUS, GeniusWeb and KTAB files through `truce import` (issue 14): each refused
with exit 2, a message naming the file, the element or field, what was found and what was expected, and
no traceback; entity expansion and oversized files refused before any work."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fuzz_cli import run_cli

HOLIDAY = Path(__file__).parents[1] / "interchange" / "data" / "holiday"
LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<utility_space><objective name="&lol9;"><weight index="1" value="1"/></objective></utility_space>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<utility_space><objective name="&secret;"><weight index="1" value="1"/></objective></utility_space>
"""


def refused(args: list[str], *needles: str) -> str:
    code, _, err = run_cli(args)
    assert code == 2, (code, err)
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err, err
    return err


def holiday_with(tmp_path: Path, name: str, edit) -> Path:
    folder = tmp_path / "holiday"
    shutil.copytree(HOLIDAY, folder)
    path = folder / name
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("name", "edit", "needles"),
    [
        ("holiday_bob.xml", lambda _: LAUGHS, ("holiday_bob.xml", "EntitiesForbidden", "without entity declarations")),
        ("holiday_bob.xml", lambda _: EXTERNAL, ("holiday_bob.xml", "refused for safety")),
        ("holiday_ann.xml", lambda t: t.replace('value="0.4"', 'value="0.5"'), ("holiday_ann.xml", "weights summing to 1.1", "expected weights summing to 1")),
        ("holiday_ann.xml", lambda t: t.replace('evaluation="2"', 'evaluation="NaN"'), ("holiday_ann.xml", "value 'city'.evaluation", "found 'NaN'")),
        ("holiday_ann.xml", lambda t: t.replace('evaluation="2"', 'evaluation="-2"'), ("holiday_ann.xml", "expected a number >= 0")),
        ("holiday_ann.xml", lambda t: t.replace(' evaluation="2"', ""), ("holiday_ann.xml", "no evaluation for the value 'city'")),
        ("holiday_ann.xml", lambda t: t.replace('slope="0.25" ', ""), ("holiday_ann.xml", "issue 'Nights' (index 2).evaluator.slope", "found nothing")),
        ("holiday_ann.xml", lambda t: t.replace('<weight index="2" value="0.4"/>', ""), ("holiday_ann.xml", 'no <weight index="2">')),
        ("holiday_ann.xml", lambda t: t.replace('<reservation value="0.2"/>', '<reservation value="1"/>'), ("holiday_ann.xml", "reservation.value", "in [0, 1)")),
        ("holiday_ann.xml", lambda t: t.replace('value="0.9"', 'value="1.5"'), ("holiday_ann.xml", "discount_factor.value", "(0, 1], or 0 for none")),
        ("holiday_domain.xml", lambda t: t.replace(' name="Nights"', ""), ("holiday_domain.xml", "issue #2", "no name attribute")),
        ("holiday_domain.xml", lambda t: t.replace('upperbound="5"', 'upperbound="x"'), ("holiday_domain.xml", "issue 'Nights'.upperbound", "'x'")),
        ("holiday_domain.xml", lambda t: t.replace("</negotiation_template>", ""), ("holiday_domain.xml", "malformed XML", "well-formed XML")),
        ("holiday_domain.xml", lambda t: t.replace('etype="integer" type="integer" vtype="integer"', 'etype="objective"'), ("holiday_domain.xml", "discrete, integer or real")),
    ],
    ids=["billion-laughs", "external-entity", "weights-not-1", "nan", "negative", "missing-evaluation", "missing-slope",
         "missing-weight", "reservation-1", "discount-1.5", "missing-name", "bad-bound", "truncated", "unknown-kind"],
)
def test_hostile_genius_files_are_refused_naming_the_file_and_the_element(tmp_path, name, edit, needles):
    folder = holiday_with(tmp_path, name, edit)
    refused(["import", str(folder), "-o", str(tmp_path / "out.yaml")], *needles)
    assert not (tmp_path / "out.yaml").exists()


def test_a_huge_genius_file_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    monkeypatch.setenv("TRUCE_MAX_FILE_BYTES", "10000")
    folder = holiday_with(tmp_path, "holiday_bob.xml", lambda t: t.replace("</utility_space>", "<!--" + "x" * 20_000 + "--></utility_space>"))
    refused(["import", str(folder)], "holiday_bob.xml", "bytes", "at most 10,000 bytes")


def test_an_unknown_format_and_a_missing_path_are_refused(tmp_path):
    refused(["import", str(HOLIDAY), "--from", "negmas"], "--from: found 'negmas'", "expected one of genius, geniusweb, ktab")
    refused(["import", str(tmp_path / "nothing")], "nothing", "no such file or folder")
    refused(["export", "two-issue-trade", "--to", "xml", "-o", str(tmp_path / "x")], "--to: found 'xml'")


def test_export_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "out"
    assert run_cli(["export", "two-issue-trade", "--to", "genius", "-o", str(out)])[0] == 0
    refused(["export", "two-issue-trade", "--to", "genius", "-o", str(out)], "exists")
    assert run_cli(["export", "two-issue-trade", "--to", "genius", "-o", str(out), "--force"])[0] == 0


JOBS = Path(__file__).parents[1] / "interchange" / "data" / "jobs"
VALLEY = Path(__file__).parents[1] / "interchange" / "data" / "valley"


def jobs_with(tmp_path: Path, name: str, edit) -> Path:
    folder = tmp_path / "jobs"
    shutil.copytree(JOBS, folder)
    path = folder / name
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("name", "edit", "needles"),
    [
        ("employer.json", lambda t: t.replace('"yes": 0.2', '"yes": NaN'), ("employer.json", "the constant NaN", "JSON has no NaN")),
        ("employer.json", lambda t: t.replace('"yes": 0.2', '"yes": 1e999'), ("employer.json", "valueUtilities.yes", "found inf")),
        ("employer.json", lambda t: t.replace('"lease car": 0.4', '"lease car": 0.5'), ("employer.json", "weights summing to 1.1", "expected weights summing to 1")),
        ("employer.json", lambda t: t.replace('"yes": 0.2', '"yes": 1.5'), ("employer.json", "valueUtilities.yes", "a utility in [0, 1]")),
        ("employer.json", lambda t: t.replace('"yes": 0.2, ', ''), ("employer.json", "no utility for 'yes'")),
        ("employer.json", lambda t: t.replace('"lowValue": 2000', '"lowValue": 1000'), ("employer.json", "lowValue 1000", "the range of the domain's issue")),
        ("employer.json", lambda t: t.replace('"salary": 3000', '"salary": 3100'), ("employer.json", "reservationBid.issuevalues.salary", "low + k step")),
        ("employer.json", lambda t: t.replace('"name": "employer",', '"name": "employer", "name": "again",'), ("employer.json", "the key 'name' twice")),
        ("employer.json", lambda t: "[" * 100_000 + "]" * 100_000, ("employer.json", "nested too deeply")),
        ("employer.json", lambda t: t[:-10], ("employer.json", "invalid JSON", "well-formed JSON")),
        ("candidate.json", lambda t: t.replace('"LinearAdditive"', '"SumOfGroupsUtilitySpace"'), ("1 profile(s)", "at least two GeniusWeb profiles")),
        ("domain.json", lambda t: t.replace('"step": 500', '"step": -1'), ("domain.json", "step -1", "step > 0")),
    ],
    ids=["nan", "infinity", "weights-not-1", "utility-1.5", "missing-utility", "unfitting-range", "bid-off-grid",
         "duplicate-key", "deep-nesting", "truncated", "unknown-space", "negative-step"],
)
def test_hostile_geniusweb_files_are_refused_naming_the_file_and_the_field(tmp_path, name, edit, needles):
    folder = jobs_with(tmp_path, name, edit)
    refused(["import", str(folder / "employer.json"), "-o", str(tmp_path / "out.yaml")], *needles)
    assert not (tmp_path / "out.yaml").exists()


def test_a_huge_geniusweb_file_and_a_bad_ktab_number_are_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("TRUCE_MAX_FILE_BYTES", "10000")
    folder = jobs_with(tmp_path, "employer.json", lambda t: t.replace('"name": "employer"', '"name": "' + "x" * 20_000 + '"'))
    refused(["import", str(folder)], "employer.json", "at most 10,000 bytes")
    monkeypatch.delenv("TRUCE_MAX_FILE_BYTES")
    csv = tmp_path / "bad.csv"
    csv.write_text((VALLEY / "valley.csv").read_text().replace("40,20,60", "40,nan,60"))
    refused(["import", str(csv)], "bad.csv: row 3, column 4 (Water)", "expected a number in [0, 100]")
