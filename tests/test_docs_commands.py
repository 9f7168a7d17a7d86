"""Every `truce ...` command shown in docs/ runs and exits as the docs say (issue 17), so that the docs
cannot drift from the code silently: a renamed option, a removed command, a file the docs give that
no longer loads, an error message reworded.

Each command runs in a fresh folder holding the files the docs give (tests/docs_commands.py finds
them), with the documented environment settings. To keep the suite fast, Monte Carlo commands run
with at most :data:`SMALL_RUNS` runs, and the report, which runs every engine, is checked up to its
time estimate (its options, scenario, case file and output are all checked before it). A refusal the
docs show (``error: ...``) must exit 2 and print the documented first line. Commands that cannot run
here say why in :data:`NOT_RUN`; every entry there must still be in the docs.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from docs_commands import Shown, documented_files, shown_commands

sys.path.insert(0, str(Path(__file__).parent / "fuzz"))
from fuzz_cli import run_cli  # noqa: E402

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
"""The reference data sets (KTAB, the EU example) the forecast how-to runs on."""
SMALL_RUNS = 100
SMALL_SOBOL = 16
SMALL_BACKTEST = 10
"""A back-test plays every case of its file (seven for israel-hamas)."""
SIMULATING = ("simulate", "durability", "whatif", "sensitivity", "explain", "backtest", "report", "compare")
DEFAULT_RUNS_ADDED = ("simulate", "durability", "whatif", "sensitivity", "backtest", "compare")
"""Commands that simulate at their default runs (10,000 for some) unless told: given SMALL_RUNS."""
ONLY_UP_TO_THE_ESTIMATE = ("report",)
RECORDING_DOCS = ("how-to/find-earlier-runs.md",)
"""Docs whose commands record runs in the store (the suite records none elsewhere)."""

NOT_RUN = {
    ("how-to/analyse-agreement-space.md", "my-talks.yaml"): "a placeholder for the reader's own file",
    ("how-to/report-and-web.md", "my-talks.yaml"): "a placeholder for the reader's own file",
    ("how-to/explain-what-blocks-a-deal.md", "my-scenario.yaml"): "a placeholder for the reader's own file",
    ("how-to/compare-scenarios.md", "my-talks.yaml"): "a placeholder for the reader's own file",
    ("how-to/report-and-web.md", "serve"): "starts a server that runs until stopped (tests/web run it)",
    ("how-to/simulate.md", "six-parties.yaml"): "the issue's 390,625-package case, not given in full; tests/test_estimate.py runs it in small",
    ("reference/cli.md", "six-parties.yaml"): "the issue's 390,625-package case, not given in full; tests/test_estimate.py runs it in small",
    ("how-to/backtest.md", "cases.yaml"): "a broken case file the docs describe but do not give",
    ("how-to/forecast.md", "bad.csv"): "a broken file the docs describe but do not give",
    ("how-to/mediator-levers.md", "bad-levers.yaml"): "a broken file the docs describe but do not give",
    ("reference/scenario.md", "valley-talks.yaml"): "the how-to's file, given only in the how-to",
    ("how-to/draft-from-a-news-report.md", "report.txt"): "the reader's own news report",
    ("how-to/draft-from-a-news-report.md", "validate draft.yaml"): "the draft of the reader's own news report",
    ("reference/draft.md", "validate draft.yaml"): "the draft of a news report the reference does not give",
    ("how-to/exchange-formats.md", "my-genius-domain"): "a placeholder for the reader's own GENIUS folder",
    ("how-to/run-a-sweep.md", "--scheduler"): "needs a running Dask cluster (tests/sweep/test_sweep_executors.py runs the sweep on a LocalCluster)",
}
"""(doc, words of the command) -> why it is not run."""
BROKEN_FILES = ("bad-", "bad.json", "latin1.yaml", "huge.yaml")
"""write-a-scenario.md's error examples: each file is shown in part or described, not given whole."""


def _not_run(command: Shown) -> str | None:
    for (doc, words), reason in NOT_RUN.items():
        if doc == command.doc and words in " ".join(command.args):
            return reason
    if command.doc == "how-to/write-a-scenario.md" and any(arg.startswith(BROKEN_FILES) for arg in command.args[1:2]):
        return "an error example whose file the docs show in part or describe"
    if command.status == 2 and command.args[:1] == ["divide"]:
        return "an error example on an edited points.csv the docs describe"
    if command.status == 2 and command.args[:1] == ["improve"]:
        return "an error example on an edited draft the docs describe"
    return None


COMMANDS = shown_commands()
FILES = documented_files()


def test_the_docs_show_commands_and_every_reason_not_to_run_one_still_applies():
    assert len(COMMANDS) >= 100
    texts = {(command.doc, " ".join(command.args)) for command in COMMANDS}
    for doc, words in NOT_RUN:
        assert any(d == doc and words in text for d, text in texts), f"NOT_RUN entry no longer in the docs: {doc}: {words}"
    assert {"valley-levers.yaml", "phased-truce.yaml", "eight-quantities.yaml", "draft.yaml", "points.csv"} <= set(FILES)


def _small(command: Shown) -> list[str]:
    args = list(command.args)
    if command.status == 2 or args[0] not in SIMULATING:
        return args
    sobol = "sobol" in args
    small = SMALL_SOBOL if sobol else SMALL_BACKTEST if args[0] == "backtest" else SMALL_RUNS
    if "--runs" in args:
        at = args.index("--runs") + 1
        args[at] = str(min(int(args[at]), small))
    elif args[0] in DEFAULT_RUNS_ADDED:
        args += ["--runs", str(small)]
    return args


REPOSITORY = Path(__file__).resolve().parents[1]
RESULTS: dict[tuple, tuple] = {}
"""The same command on built-in scenarios alone, shown in several docs, runs once."""
FOLDERS: dict[str, Path] = {}
"""One folder per doc, shared by its commands in order, as a reader following it has."""


def _folder(command: Shown, tmp_path_factory) -> Path:
    if command.doc not in FOLDERS:
        FOLDERS[command.doc] = tmp_path_factory.mktemp(command.doc.replace("/", "-").removesuffix(".md"))
    return FOLDERS[command.doc]


def _inputs(args: list[str]) -> list[str]:
    """The arguments a command reads (not the file after -o/--output, which it writes)."""
    return [arg for k, arg in enumerate(args) if k == 0 or args[k - 1] not in ("-o", "--output")]


def _prepare(folder: Path, command: Shown) -> None:
    """The files the command reads: given by the docs (its own doc's first), the reference data sets, files of the repository."""
    for arg in _inputs(command.args):
        target = folder / arg
        if target.exists() or "/" in arg and arg.startswith("/"):
            continue
        given = FILES.get(arg)
        if given:
            target.write_text(given.get(command.doc) or next(iter(given.values())), encoding="utf-8")
        for source in (SHARED_DATA / "ktab" / arg, SHARED_DATA / "bdm" / arg, REPOSITORY / arg):
            if arg.endswith((".csv", ".txt", ".yaml")) and source.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(source, target)
                break
    if any("exists; pass --force" in line for line in command.output):
        output = command.args[command.args.index("-o") + 1]
        (folder / output).write_text("an earlier report\n", encoding="utf-8")


@pytest.mark.parametrize("command", COMMANDS, ids=[command.where for command in COMMANDS])
def test_a_documented_command_exits_as_the_docs_say(command: Shown, tmp_path_factory, monkeypatch):
    reason = _not_run(command)
    if reason:
        pytest.skip(f"{command.where}: {reason}")
    for arg in command.args:
        if arg.endswith(".csv") and arg.startswith(("ktab_", "scholz")) and not (SHARED_DATA / "ktab" / arg).is_file() and not (SHARED_DATA / "bdm" / arg).is_file():
            pytest.skip(f"{command.where}: needs the reference data set {arg} from ../shared/data (not here)")
    folder = _folder(command, tmp_path_factory)
    _prepare(folder, command)
    monkeypatch.chdir(folder)
    if command.doc in RECORDING_DOCS:  # the store's how-to finds the runs its own commands recorded, in its folder
        monkeypatch.delenv("TRUCE_NO_STORE", raising=False)
    for key, value in command.env.items():
        monkeypatch.setenv(key, value)
    args = _small(command)
    estimate_only = args[0] in ONLY_UP_TO_THE_ESTIMATE and command.status == 0
    if estimate_only:  # everything is checked before the estimate, which refuses: nothing runs or is written
        monkeypatch.setenv("TRUCE_MAX_SECONDS", "0.000001")
        args = [arg for arg in args if arg != "--force"]
    key = (tuple(args), tuple(sorted((k, v) for k, v in command.env.items() if k != "COLUMNS")))  # the width changes no exit status
    touches_files = any(Path(arg).suffix for arg in args[1:] if not arg.startswith("-"))
    if key not in RESULTS or touches_files or estimate_only:
        RESULTS[key] = run_cli(args)
    code, out, err = RESULTS[key]
    if estimate_only:
        assert code == 2 and "estimated time: about" in err, (command.where, args, code, err[-2000:])
        return
    assert code == command.status, (command.where, args, code, err[-2000:])
    if command.status == 2 and args == command.args and not command.output[0].startswith("Usage:"):  # the usage line names the program
        documented = " ".join(command.output[0].split())
        assert documented in " ".join((out + err).split()), (command.where, documented, err[-2000:])
