"""The error a scenario file can cause, in a module that imports nothing heavy,
so that front ends can catch it without loading the schema first."""

from __future__ import annotations

MAX_PROBLEMS_SHOWN = 50
"""An error message lists at most this many problems, then says how many more there are."""


class ScenarioError(Exception):
    """A scenario that cannot be used, with every problem found in it.

    ``problems`` holds (path inside the file, what was found and what was expected).
    """

    def __init__(self, source: str, problems: tuple[tuple[str, str], ...]):
        super().__init__(source, problems)
        self.source = source
        self.problems = problems

    def __str__(self) -> str:
        if len(self.problems) == 1 and not self.problems[0][0]:
            return f"{self.source}: {self.problems[0][1]}"
        lines = [f"{self.source}: {len(self.problems)} problem(s) in the scenario"]
        lines += [f"  {path or '(top level)'}: {message}" for path, message in self.problems[:MAX_PROBLEMS_SHOWN]]
        if len(self.problems) > MAX_PROBLEMS_SHOWN:
            lines.append(f"  ... and {len(self.problems) - MAX_PROBLEMS_SHOWN} more")
        return "\n".join(lines)
