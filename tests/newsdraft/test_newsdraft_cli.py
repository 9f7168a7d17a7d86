"""`truce draft` and `truce validate` on drafts, from the command line: outputs, exit codes, messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from drafting_helpers import fill

TEXT = (
    "Ceasefire talks between Hamas and Israel resumed in Cairo, hosted by Egypt. "
    "Hamas demanded the lifting of the blockade. Israel rejected the demand and sought an end to rocket fire."
)


def truce(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "truce", *args], capture_output=True, text=True, cwd=cwd, env={"COLUMNS": "200", "PATH": ""})


def test_draft_writes_a_file_that_validate_lists_placeholders_in_then_accepts_once_filled(tmp_path):
    (tmp_path / "article.txt").write_text(TEXT, encoding="utf-8")
    result = truce("draft", "article.txt", "-o", "draft.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "wrote draft.yaml: 3 actors (2 parties), 2 issues" in result.stderr
    data = yaml.safe_load((tmp_path / "draft.yaml").read_text(encoding="utf-8"))
    assert [(a["id"], a["role"]) for a in data["actors"]] == [("hamas", "party"), ("israel", "party"), ("egypt", "mediator")]
    assert data["actors"][0]["stances"]["blockade"]["position"] == "lifted"
    assert data["actors"][1]["stances"]["blockade"]["position"] == "maintained"

    unfilled = truce("validate", "draft.yaml", cwd=tmp_path)
    assert unfilled.returncode == 2
    assert "Traceback" not in unfilled.stderr
    assert "actors[0].reservation: placeholder to fill in: found a placeholder; expected a number in [0, 1)" in unfilled.stderr
    assert "actors[1].stances.hostilities.salience: placeholder to fill in" in unfilled.stderr
    assert "found a mapping" not in unfilled.stderr  # not a type error

    (tmp_path / "filled.yaml").write_text(yaml.safe_dump(fill(data)), encoding="utf-8")
    filled = truce("validate", "filled.yaml", cwd=tmp_path)
    assert filled.returncode == 0, filled.stderr
    assert "2 parties" in filled.stdout


def test_draft_refuses_to_overwrite_without_force(tmp_path):
    (tmp_path / "article.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "draft.yaml").write_text("kept\n", encoding="utf-8")
    refused = truce("draft", "article.txt", "-o", "draft.yaml", cwd=tmp_path)
    assert refused.returncode == 2 and "exists; pass --force" in refused.stderr
    assert (tmp_path / "draft.yaml").read_text(encoding="utf-8") == "kept\n"
    forced = truce("draft", "article.txt", "-o", "draft.yaml", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert "hamas" in (tmp_path / "draft.yaml").read_text(encoding="utf-8")


def test_draft_prints_yaml_without_output_and_json_with_it(tmp_path):
    (tmp_path / "article.txt").write_text(TEXT, encoding="utf-8")
    printed = truce("draft", "article.txt", cwd=tmp_path)
    assert printed.returncode == 0 and printed.stdout.startswith("# Draft scenario written by `truce draft`")
    as_json = truce("draft", "article.txt", "--json", cwd=tmp_path)
    assert as_json.returncode == 0
    assert '"role": "mediator"' in as_json.stdout


def test_bad_inputs_exit_2_with_a_message_and_write_nothing(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x7fELF\x00\x01\x02text")
    (tmp_path / "latin1.txt").write_bytes("Négociations à Genève".encode("latin-1"))
    (tmp_path / "folder").mkdir()
    cases = {
        "missing.txt": "missing.txt: no such file; expected a news text file",
        "empty.txt": "empty.txt: has no words; expected the text of a news report",
        "binary.txt": "binary.txt: contains NUL bytes, so it is a binary file",
        "latin1.txt": "latin1.txt: not UTF-8 text",
        "folder": "folder: is a folder; expected a news text file",
    }
    for name, message in cases.items():
        result = truce("draft", name, "-o", "out.yaml", cwd=tmp_path)
        assert result.returncode == 2, (name, result.stderr)
        assert message in result.stderr, (name, result.stderr)
        assert "Traceback" not in result.stderr
        assert not (tmp_path / "out.yaml").exists()


def test_an_unknown_trained_pipeline_is_a_user_error(tmp_path):
    (tmp_path / "article.txt").write_text(TEXT, encoding="utf-8")
    result = truce("draft", "article.txt", "--pipeline", "no_such_pipeline_xyz", cwd=tmp_path)
    assert result.returncode == 2
    assert "--pipeline no_such_pipeline_xyz: no installed spaCy pipeline" in result.stderr
