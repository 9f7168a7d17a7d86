"""Output files, tried as a hostile or unlucky user would: planted links, FIFOs, devices, existing files,
read-only folders, a disk that fills mid-write, Ctrl-C and a kill before the rename.

Every command that writes a file (``report -o``, ``schema -o``, ``simulate --per-run``) goes through
:mod:`truce.files`; the tests run the commands themselves and look at the folder afterwards.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

WRITERS = {
    "schema": lambda target: ("schema", "-o", str(target)),
    "per-run": lambda target: ("simulate", "two-issue-trade", "--runs", "20", "--per-run", str(target)),
    "report": lambda target: ("report", "two-issue-trade", "--runs", "10", "-o", str(target)),
}
"""Each command that writes a file, as the arguments that make it write ``target``."""
PYTHONPATH = {"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {}
"""Passed on to the commands run in a subprocess, so the tests can be pointed at another checkout."""


def run(capsys, *args: str) -> tuple[int, str]:
    """Run the CLI in this process (so a test can monkeypatch it); the exit status and stderr."""
    from truce.cli import main

    saved = sys.argv
    sys.argv = ["truce", *args]
    try:
        main()
        status = 0
    except SystemExit as exit_:
        status = exit_.code or 0
    finally:
        sys.argv = saved
    return status, capsys.readouterr().err


def leftovers(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".partial"))


@pytest.fixture
def victim(tmp_path):
    """A file outside the output folder that a planted link points to."""
    outside = tmp_path / "outside"
    outside.mkdir()
    path = outside / "victim.txt"
    path.write_text("precious\n")
    return path


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "out"
    path.mkdir()
    return path


# ------------------------------------------------------------------ planted links
@pytest.mark.parametrize("writer", WRITERS)
def test_a_symlink_at_the_target_is_refused_and_its_file_untouched(capsys, writer, folder, victim):
    target = folder / "out.file"
    target.symlink_to(victim)
    status, message = run(capsys, *WRITERS[writer](target))
    assert status == 2 and "symbolic link" in message and "--follow-symlinks" in message
    assert target.is_symlink() and victim.read_text() == "precious\n"
    assert leftovers(folder) == []


def test_follow_symlinks_writes_the_linked_file_and_keeps_the_link(capsys, folder, victim):
    target = folder / "schema.json"
    target.symlink_to(victim)
    status, message = run(capsys, "schema", "-o", str(target), "--follow-symlinks")
    assert status == 2 and "--force" in message  # the linked file exists: overwriting it still needs --force
    status, _ = run(capsys, "schema", "-o", str(target), "--follow-symlinks", "--force")
    assert status == 0 and target.is_symlink()
    assert json.loads(victim.read_text())["title"] == "truce scenario"


@pytest.mark.parametrize("writer", ["schema", "per-run"])
def test_a_symlink_planted_at_the_old_temporary_name_is_not_written_through(capsys, writer, folder, victim):
    """The old writers used the fixed name ``.NAME.partial``: a link planted there redirected the write."""
    target = folder / "out.file"
    (folder / ".out.file.partial").symlink_to(victim)
    status, _ = run(capsys, *WRITERS[writer](target))
    assert status == 0 and target.is_file() and not target.is_symlink()
    assert victim.read_text() == "precious\n"


# ------------------------------------------------------------ non-regular targets
@pytest.mark.parametrize("writer", ["schema", "report"])
def test_a_fifo_is_refused_not_replaced(capsys, writer, folder):
    target = folder / "pipe"
    os.mkfifo(target)
    for force in ([], ["--force"]):
        status, message = run(capsys, *WRITERS[writer](target), *force)
        assert status == 2 and "FIFO" in message and "regular files" in message
    assert stat.S_ISFIFO(os.lstat(target).st_mode) and leftovers(folder) == []


def test_a_device_node_and_a_folder_are_refused(capsys, folder):
    device = folder / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a copy of /dev/null, so no real device is at risk
    except PermissionError:
        device = None
    for target, kind in ((device, "character device"), (folder, "folder")):
        if target is not None:
            status, message = run(capsys, "schema", "-o", str(target))
            assert status == 2 and kind in message and "regular files" in message
    assert device is None or stat.S_ISCHR(os.lstat(device).st_mode)


# ------------------------------------------------------- existing files and modes
@pytest.mark.parametrize("writer", WRITERS)
def test_an_existing_file_needs_force_and_keeps_its_mode(capsys, writer, folder):
    target = folder / "out.file"
    target.write_text("earlier results\n")
    target.chmod(0o600)
    status, message = run(capsys, *WRITERS[writer](target))
    assert status == 2 and "exists" in message and "--force" in message
    assert target.read_text() == "earlier results\n"
    status, _ = run(capsys, *WRITERS[writer](target), "--force")
    assert status == 0 and target.read_text() != "earlier results\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert leftovers(folder) == []


@pytest.mark.parametrize("writer", ["schema", "report"])
def test_a_new_file_gets_the_umask(capsys, writer, folder):
    saved = os.umask(0o027)
    try:
        status, _ = run(capsys, *WRITERS[writer](folder / "out.file"))
    finally:
        os.umask(saved)
    assert status == 0 and stat.S_IMODE((folder / "out.file").stat().st_mode) == 0o640


# -------------------------------------------------------------- read-only folder
@pytest.mark.parametrize("writer", WRITERS)
def test_a_read_only_folder_is_refused_before_any_work(writer, tmp_path):
    """Run as an unprivileged user, since root ignores folder permissions: as nobody (through
    ``setpriv``) when the tests run as root."""
    as_root = os.geteuid() == 0
    if as_root and shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: cannot test as an unprivileged user")
    base = Path(tempfile.mkdtemp(prefix="truce-read-only-")) if as_root else tmp_path
    locked = base / "locked"
    locked.mkdir()
    try:
        base.chmod(0o755)
        locked.chmod(0o555)
        target = locked / "out.file"
        demote = [shutil.which("setpriv"), "--reuid=65534", "--regid=65534", "--clear-groups"] if as_root else []
        result = subprocess.run(
            [*demote, sys.executable, "-m", "truce", *WRITERS[writer](target)], capture_output=True, text=True, cwd=base,
            env={"PATH": "", "COLUMNS": "200", "HOME": str(base), **PYTHONPATH},
        )
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert f"cannot create a file in folder {locked}" in result.stderr
        assert os.listdir(locked) == []
    finally:
        locked.chmod(0o755)
        if as_root:
            shutil.rmtree(base)


# --------------------------------------------------------- failures in the middle
def test_a_disk_that_fills_mid_write_leaves_nothing(capsys, monkeypatch, folder):
    written = []
    real_write = os.write

    def fills_up(handle, data):
        if written:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(real_write(handle, bytes(data[: len(data) // 2])))
        return written[-1]

    monkeypatch.setattr(os, "write", fills_up)
    status, message = run(capsys, "schema", "-o", str(folder / "schema.json"))
    monkeypatch.undo()
    assert written and status == 2 and "No space left on device" in message
    assert os.listdir(folder) == []


def test_an_old_file_survives_a_failure_mid_write(capsys, monkeypatch, folder):
    target = folder / "runs.csv"
    target.write_text("earlier runs\n")
    monkeypatch.setattr(os, "fsync", lambda handle: (_ for _ in ()).throw(OSError(errno.EIO, "Input/output error")))
    status, message = run(capsys, *WRITERS["per-run"](target), "--force")
    monkeypatch.undo()
    assert status == 2 and "Input/output error" in message
    assert target.read_text() == "earlier runs\n" and leftovers(folder) == []


@pytest.mark.parametrize("publish", ["link", "replace"])
def test_ctrl_c_just_before_the_rename_leaves_no_partial_file(capsys, monkeypatch, folder, publish):
    """``link`` publishes a new file, ``replace`` an overwritten one (with --force); both are interrupted."""
    target = folder / "schema.json"
    if publish == "replace":
        target.write_text("earlier\n")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, publish, interrupted)
    monkeypatch.setattr(os, "replace", interrupted)
    status, message = run(capsys, "schema", "-o", str(target), *(["--force"] if publish == "replace" else []))
    monkeypatch.undo()
    assert status == 130, message  # Typer's exit status for Ctrl-C
    assert os.listdir(folder) == ([] if publish == "link" else ["schema.json"])
    assert publish == "link" or target.read_text() == "earlier\n"


KILLED_WRITER = """
import os, signal, sys
from truce.files import OutputFile
with OutputFile(sys.argv[1]) as output:
    output.write("half of a ")
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_the_leftover_of_a_killed_write_is_cleaned_by_the_next_write(capsys, folder):
    target = folder / "report.html"
    killed = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(target)], env={**os.environ})
    assert killed.returncode == -signal.SIGKILL
    (leftover,) = leftovers(folder)
    assert not target.exists()
    status, _ = run(capsys, "schema", "-o", str(target))
    assert status == 0 and leftovers(folder) == [] and target.is_file()


def test_a_write_in_progress_is_not_taken_for_a_leftover(folder):
    from truce.files import OutputFile, OutputRefused, write_output

    target = folder / "schema.json"
    with pytest.raises(OutputRefused, match="--force"):
        with OutputFile(target) as slow:
            slow.write("first")
            (in_progress,) = leftovers(folder)
            write_output(target, "second")  # a second run meanwhile cleans leftovers, but not a locked one
            assert leftovers(folder) == [in_progress]
    assert target.read_text() == "second" and leftovers(folder) == []


def test_a_file_that_appears_during_the_write_is_not_clobbered(folder):
    from truce.files import OutputFile, OutputRefused

    target = folder / "out.txt"
    with pytest.raises(OutputRefused, match="--force"):
        with OutputFile(target) as output:
            output.write("mine")
            target.write_text("someone else's")
    assert target.read_text() == "someone else's" and leftovers(folder) == []
