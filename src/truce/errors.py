"""The errors of what the user gave and the line between them and truce's own, in a module
that imports nothing heavy, so that front ends can catch them without loading the schema first.

:class:`ScenarioError` is a scenario file that cannot be used. :class:`InputError` is raised
for anything else the user gave wrong: a file, an option, a combination the model does not
take. Its message names the file or option, the field and what was expected. The front ends
report both as the user's mistake (the CLI: exit 2; the web app: 400). Any other exception is
an internal error (a bug): the CLI says so in one line and exits 70 (``EX_SOFTWARE`` of
sysexits.h), printing the traceback only when ``TRUCE_DEBUG`` is set; the web app answers 500
without details and logs it.

InputError subclasses ``ValueError`` so that code calling the engines from Python and catching
``ValueError`` keeps working.
"""

from __future__ import annotations

import os

MAX_PROBLEMS_SHOWN = 50
"""An error message lists at most this many problems, then says how many more there are."""


class ProblemsError(Exception):
    """A file that cannot be used, with every problem found in it: ``problems`` holds
    (path inside the file, what was found and what was expected); ``what`` names the kind of file."""

    what = "file"

    def __init__(self, source: str, problems: tuple[tuple[str, str], ...]):
        super().__init__(source, problems)
        self.source = source
        self.problems = problems

    def __str__(self) -> str:
        if len(self.problems) == 1 and not self.problems[0][0]:
            return f"{self.source}: {self.problems[0][1]}"
        lines = [f"{self.source}: {len(self.problems)} problem(s) in the {self.what}"]
        lines += [f"  {path or '(top level)'}: {message}" for path, message in self.problems[:MAX_PROBLEMS_SHOWN]]
        if len(self.problems) > MAX_PROBLEMS_SHOWN:
            lines.append(f"  ... and {len(self.problems) - MAX_PROBLEMS_SHOWN} more")
        return "\n".join(lines)


class ScenarioError(ProblemsError):
    """A scenario that cannot be used, with every problem found in it.

    ``problems`` holds (path inside the file, what was found and what was expected).
    """

    what = "scenario"


INTERNAL_ERROR_EXIT = 70
"""Exit status of an internal error (sysexits.h's EX_SOFTWARE); user errors exit 2."""

DEBUG_VARIABLE = "TRUCE_DEBUG"


class InputError(ValueError):
    """A problem with what the user gave; reported without a traceback as the user's to fix."""


def debugging() -> bool:
    """Whether internal errors should show their traceback (``TRUCE_DEBUG`` set to anything but '' or 0)."""
    return os.environ.get(DEBUG_VARIABLE, "") not in ("", "0")


def internal_error_message(error: BaseException) -> str:
    """One line for an internal error: what failed, that it is truce's fault, and what to do."""
    kind = type(error).__name__
    detail = str(error).splitlines()[0][:200] if str(error) else ""
    return (
        f"internal error ({kind}{': ' + detail if detail else ''}): this is a bug in truce, not a problem with your input. "
        f"Please report it with the command you ran; set {DEBUG_VARIABLE}=1 to see the traceback."
    )
