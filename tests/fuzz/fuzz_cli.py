"""Run the ``truce`` command line in this process, the way a user's shell would, and tell the outcome apart."""

from __future__ import annotations

import contextlib
import io
import sys
import traceback


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
