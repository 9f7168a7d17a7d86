"""Hostile and malformed scenario files through the CLI and the API: each one found refused with a
message naming the file, the field and the expectation, never a traceback, a hang or a wrong answer."""

from __future__ import annotations

import json
import os
import time
from importlib import resources

import pytest
import yaml
from fuzz_cli import run_cli

TRADE = (resources.files("truce.scenario.builtin") / "two-issue-trade.yaml").read_text(encoding="utf-8")


def trade(**changes) -> dict:
    data = yaml.safe_load(TRADE)
    for key, value in changes.items():
        data[key] = value
    return data


def write(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return str(path)


def refused(args: list[str], *needles: str) -> str:
    code, _, err = run_cli(args)
    assert code == 2, (code, err)
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err, err
    return err


def test_a_nan_no_deal_value_is_refused_not_a_certain_deal(tmp_path):
    data = trade()
    for actor in data["actors"]:
        actor["reservation"] = 0.999  # no package beats these no-deal values: P(deal) is 0
    hopeless = write(tmp_path, "hopeless.yaml", yaml.safe_dump(data))
    code, out, _ = run_cli(["simulate", hopeless, "--runs", "20", "--json"])
    assert code == 0 and json.loads(out)["agreement_rate"] == 0.0
    nan = write(tmp_path, "nan.yaml", yaml.safe_dump(data).replace("reservation: 0.999", "reservation: .nan", 1))
    refused(["simulate", nan, "--runs", "20"], "nan.yaml", "actors[0].reservation", "found nan; expected a finite number")


@pytest.mark.parametrize(
    "text, path",
    [
        ('"reservation": NaN', "actors[0].reservation"),
        ('"reservation": Infinity', "actors[0].reservation"),
        ('"reservation": {"normal": [0.1, Infinity]}', "actors[0].reservation"),
        ('"reservation": {"triangular": [0.1, NaN, 0.5]}', "actors[0].reservation"),
        ('"capability": -Infinity', "actors[0].capability"),
    ],
)
def test_json_nan_and_infinity_literals_are_refused_with_their_field(tmp_path, text, path):
    data = json.dumps(trade()).replace('"reservation": 0.3', text, 1)
    assert text in data or "capability" in text
    if "capability" in text:
        data = data.replace('"id": "north",', '"id": "north", ' + text + ",", 1)
    refused(["validate", write(tmp_path, "bad.json", data)], "bad.json", path, "finite number")


def test_the_api_says_a_nan_scenario_is_invalid():
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from truce.web.app import create_app

    data = trade()
    data["actors"][0]["reservation"] = float("nan")
    body = json.dumps(data)  # Python's json writes NaN, as a hostile client may
    with TestClient(create_app()) as client:
        response = client.post("/api/validate", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert "finite" in response.text


def test_a_yaml_alias_tree_is_refused_fast(tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        lines.append(f"{chr(97 + level)}: &{chr(97 + level)} [" + ", ".join([f"*{chr(96 + level)}"] * 9) + "]")
    bomb = write(tmp_path, "bomb.yaml", "\n".join(lines) + "\nname: x\nactors: *i\nissues: *i\n")
    started = time.process_time()
    refused(["validate", bomb], "bomb.yaml", "YAML aliases are expanded", "TRUCE_MAX_NODES")
    assert time.process_time() - started < 10  # a guard against a hang, not a latency claim


def test_a_recursive_alias_is_refused(tmp_path):
    refused(["validate", write(tmp_path, "loop.yaml", "name: &n [*n]\nactors: []\nissues: []\n")], "loop.yaml", "loops")


def test_python_tags_are_refused_cleanly(tmp_path):
    evil = write(tmp_path, "evil.yaml", "name: !!python/object/apply:os.system ['echo owned']\n")
    refused(["show", evil], "evil.yaml", "line 1", "tag !!python/object/apply:os.system is not allowed")


def test_deep_nesting_is_a_clean_error(tmp_path):
    refused(["validate", write(tmp_path, "deep.yaml", "name: " + "[" * 500 + "]" * 500 + "\n")], "deep.yaml", "nested")
    refused(["validate", write(tmp_path, "deep.json", '{"name": ' + "[" * 500 + "]" * 500 + "}")], "deep.json", "nested")


def test_an_integer_of_5000_digits_is_a_clean_error(tmp_path):
    refused(["validate", write(tmp_path, "big.yaml", TRADE.replace("rounds: 20", "rounds: " + "9" * 5000))], "big.yaml", "4,300 digits")
    refused(["validate", write(tmp_path, "big.json", json.dumps(trade()).replace('"rounds": 20', '"rounds": ' + "9" * 5000))], "big.json", "4,300 digits")


def test_an_integer_of_400_digits_is_quoted_short(tmp_path):
    err = refused(["validate", write(tmp_path, "wide.yaml", TRADE.replace("reservation: 0.3", "reservation: " + "9" * 400, 1))], "actors[0].reservation")
    assert "9" * 100 not in err


def test_a_byte_order_mark_is_accepted(tmp_path):
    assert run_cli(["validate", write(tmp_path, "bom.yaml", b"\xef\xbb\xbf" + TRADE.encode())])[0] == 0
    assert run_cli(["validate", write(tmp_path, "bom.json", b"\xef\xbb\xbf" + json.dumps(trade()).encode())])[0] == 0


def test_non_utf8_and_binary_input_are_clean_errors(tmp_path):
    refused(["validate", write(tmp_path, "latin.yaml", TRADE.encode().replace(b"Two", b"T\xe9o"))], "latin.yaml", "not UTF-8", "expected")
    refused(["analyze", write(tmp_path, "blob.yaml", bytes(range(256)) * 4)], "blob.yaml")
    refused(["analyze", write(tmp_path, "nul.yaml", b"name: \x00\x01\x02\n")], "nul.yaml")


def test_a_huge_string_is_not_quoted_whole(tmp_path):
    err = refused(["validate", write(tmp_path, "long.yaml", TRADE.replace("id: north", "id: " + "N" * 1_000_000, 1))], "long.yaml", "actors[0].id")
    assert len(err) < 5_000


def test_a_folder_and_an_unreadable_file_are_clean_errors(tmp_path):
    refused(["validate", str(tmp_path)], str(tmp_path), "folder")
    locked = write(tmp_path, "locked.yaml", TRADE)
    os.chmod(locked, 0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as a user who can read anything")
        refused(["validate", locked], "locked.yaml", "cannot read")
    finally:
        os.chmod(locked, 0o600)


def test_a_range_over_a_tiny_step_is_a_clean_error(tmp_path):
    data = trade()
    data["issues"].append({"id": "money", "name": "Money", "kind": "numeric", "range": [0, 1e300], "step": 1e-300})
    refused(["validate", write(tmp_path, "grid.yaml", yaml.safe_dump(data))], "grid.yaml", "issues[2].step", "expected at most")


def test_thousands_of_problems_are_listed_briefly(tmp_path):
    data = trade()
    data["actors"] = [dict(data["actors"][0], id=f"a{i}", reservation=2.0) for i in range(900)]
    err = refused(["validate", write(tmp_path, "many.yaml", yaml.safe_dump(data))], "many.yaml", "more")
    assert err.count("\n") < 100
