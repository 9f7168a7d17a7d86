"""Run the ``truce`` command line in this process, the way a user's shell would, tell the outcome apart,
and judge it against the bar of issue 11 (shared by tests/fuzz/test_corpus.py and benchmarks/fuzz.py)."""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
import traceback

from corpus import BASES

COMMANDS = {
    "validate": [],
    "show": ["--json"],
    "analyze": ["--json"],
    "improve": ["--json"],
    "explain": ["--json"],
    "explain-runs": ["--runs", "8", "--json"],
    "simulate": ["--runs", "8", "--json"],
    "durability": ["--runs", "8", "--json"],
    "whatif": ["--runs", "8", "--json"],
    "sensitivity": ["--runs", "8", "--json"],
    "forecast": ["--json"],
    "forecast-smp": ["--model", "smp", "--json"],
    "report": ["--runs", "8"],
}
"""Every command that reads a scenario, with options that keep each run small (a key may carry a
suffix after '-' for a second set of options of the same command). ``divide`` reads a CSV of points,
not a scenario, so the corpus does not apply to it; ``improve`` also reads a draft (:func:`draft_text`)."""
CHEAP = ("validate", "analyze")
"""The commands every case of the corpus goes through in the test suite."""
_PROBLEM_LINE = re.compile(r"^  (\(top level\)|line \d+, column \d+|[A-Za-z_][\w-]*(\[\d+\]|\.[^:]+)*): .+")


def command_line(command: str, path: str, folder: str) -> list[str]:
    """The arguments of ``command`` (a key of :data:`COMMANDS`) on the scenario file ``path``; outputs
    and the draft of ``improve`` go in ``folder`` (the draft is written here)."""
    arguments = [command.split("-")[0], path, *COMMANDS[command]]
    if command == "report":
        arguments += ["-o", os.path.join(folder, "out-report.html")]
    if command == "improve":
        draft = os.path.join(folder, "draft.yaml")
        with open(draft, "w", encoding="utf-8") as handle:
            handle.write(draft_text(os.path.basename(path)))
        arguments += ["--text", draft]
    return arguments


def draft_text(file_name: str) -> str:
    """A draft agreement for the built-in scenario a case was made from (its middle option on every issue)."""
    import yaml

    from truce.scenario import load

    base = next((name for name in BASES if file_name.startswith(name.replace("-", "_"))), BASES[0])
    scenario = load(base)
    return yaml.safe_dump({issue.id: issue.labels[len(issue.labels) // 2] for issue in scenario.issues})


OUTPUTS = ("out-report.html", "draft.yaml")
"""What a run may leave in the case's folder: the report when it succeeded, the draft the runner wrote."""


def run_cli(args: list[str]) -> tuple[int | str, str, str]:
    """(exit status, or "traceback" when an exception escaped main(); stdout; stderr)."""
    from truce.cli import main

    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv
    sys.argv = ["truce", *args]
    code: int | str = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except MemoryError:
        code = "memory"
    except BaseException:  # noqa: BLE001 - the point is to catch whatever escapes
        code = "traceback"
        err.write(traceback.format_exc(limit=-3))
    finally:
        sys.argv = argv
    return code, out.getvalue(), err.getvalue()


def failure(code: int | str, err: str, *paths: str) -> str | None:
    """What is wrong with an outcome (None when it meets the bar): exit 0 (a result), or exit 2 with a
    message that names the file (or the option) and, for every problem, its field and what was expected."""
    if "Traceback" in err:
        return "a traceback"
    if code == 0:
        return None
    if code != 2:
        return f"exit {code}"
    if len(err) > 10_000:
        return f"a message of {len(err):,} characters"
    if not any(os.path.basename(path) in err for path in paths) and not err.startswith("error: --"):
        return "a message that does not name the file"
    lines = [line for line in err.splitlines() if line.strip()]
    if len(lines) == 1:
        return None if "expected" in lines[0] else "a message with no expectation"
    problems = [line for line in lines[1:] if not line.startswith("  ... and ")]
    for line in problems:
        if not _PROBLEM_LINE.match(line):
            return f"a problem line with no field: {line[:120]!r}"
        if "expected" not in line:
            return f"a problem with no expectation: {line[:160]!r}"
    return None
