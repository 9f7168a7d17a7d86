"""Reading a scenario file's text for ``/api/parse``: in a child process, within a time budget.

PyYAML (even its C loader, which builds Python objects) is slow on big texts: a text at the body limit (2 MiB) of small values takes
seconds to read, and on the event loop it would hold up every other request
meanwhile (a 1.8 MB body took a concurrent GET from 0.03 s to 12.7 s). So
each text is read in a child process, forked from a server process that has
already imported the loader (``forkserver``: fast to start, and no fork of
the threaded web server). The event loop only waits for the child's answer;
a child that takes longer than ``Limits.max_parse_seconds`` is killed, and
at most ``Limits.max_parses`` read at once (more get 429).
"""

from __future__ import annotations

import multiprocessing
import threading
from multiprocessing.connection import Connection
from typing import Any

import anyio
import yaml

from truce.scenario.loading import SAFE_LOADER
from truce.web.limits import Limits

PRELOAD = ["__main__", "truce.scenario", "truce.web.parsing"]
"""Imported once by the fork server, so that each child starts with them (``__main__`` too: else each
child would import the main script again)."""


MAX_YAML_NODES = 200_000
"""A YAML upload may expand (through anchors and aliases) to at most this many values."""


def yaml_size(text: str) -> int:
    """How many values the YAML expands to once its aliases are followed (stops counting past the limit)."""
    root = yaml.compose(text, Loader=SAFE_LOADER)
    sizes: dict[int, int] = {}

    def size(node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        sizes[key] = 1  # a cycle counts once; SafeLoader would refuse it anyway
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        sizes[key] = min(total, MAX_YAML_NODES + 1)
        return sizes[key]

    return 0 if root is None else size(root)


def yaml_expansion_problem(text: str) -> str | None:
    """Why the YAML text is refused before it is built (it expands past :data:`MAX_YAML_NODES`), or None."""
    try:
        expanded = yaml_size(text)
    except (yaml.YAMLError, RecursionError):
        return None  # the loader reports the syntax error with its line and column, or the nesting
    if expanded > MAX_YAML_NODES:
        return f"the text expands to more than {MAX_YAML_NODES:,} values (through YAML anchors and aliases); expected a plain scenario"
    return None


class ParseRefused(Exception):
    """The text could not be read within the server's budgets: ``status`` and (path, message) problems."""

    def __init__(self, status: int, problems: list[tuple[str, str]]):
        super().__init__("; ".join(message for _, message in problems))
        self.status = status
        self.problems = problems


def _context():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def read_text(text: str, json_only: bool, answer: Connection) -> None:
    """In the child: the scenario as JSON, or the loader's problems, sent back on ``answer``."""
    from truce.scenario import ScenarioError, parse

    try:
        if not json_only:
            problem = yaml_expansion_problem(text)
            if problem is not None:
                answer.send(("refused", 422, [("", problem)]))
                return
        scenario = parse(text, source="upload", json_only=json_only)
        answer.send(("scenario", 200, scenario.model_dump(mode="json", exclude_none=True)))
    except ScenarioError as error:
        answer.send(("refused", 422, list(error.problems)))
    except MemoryError:
        answer.send(("refused", 422, [("", "the text needs more memory than this server has to read it")]))
    finally:
        answer.close()


class Parser:
    """Reads texts in child processes, at most ``limits.max_parses`` at once, each within ``limits.max_parse_seconds``."""

    def __init__(self, limits: Limits):
        self._limits = limits
        self._slots = threading.BoundedSemaphore(limits.max_parses)

    @staticmethod
    def warm_up() -> None:
        """Start the fork server in the background (it imports the loader once: a second or more), so
        that the first upload does not wait for it."""
        from multiprocessing import forkserver

        _context()
        threading.Thread(target=forkserver.ensure_running, name="truce-forkserver", daemon=True).start()

    async def parse(self, text: str, *, json_only: bool) -> dict[str, Any]:
        """The scenario JSON of ``text``; raises :class:`ParseRefused` (422 invalid or over budget, 429 busy)."""
        if not self._slots.acquire(blocking=False):
            raise ParseRefused(429, [("", f"this server reads at most {self._limits.max_parses} scenario texts at once; retry in a moment")])
        try:
            # abandon_on_cancel: a client that hangs up does not hold a worker thread; the child is still
            # killed by its own deadline below.
            return await anyio.to_thread.run_sync(self._parse_in_child, text, json_only, abandon_on_cancel=True)
        finally:
            self._slots.release()

    def _parse_in_child(self, text: str, json_only: bool) -> dict[str, Any]:
        seconds = self._limits.max_parse_seconds
        context = _context()
        receiving, answering = context.Pipe(duplex=False)
        child = context.Process(target=read_text, args=(text, json_only, answering), daemon=True, name="truce-parse")
        child.start()
        answering.close()
        try:
            if not receiving.poll(seconds):
                raise ParseRefused(
                    422, [("", f"reading the text took longer than {seconds:g} s, this server's limit; expected a scenario file of ordinary size")]
                )
            try:
                kind, status, content = receiving.recv()
            except EOFError:  # the child died without answering (killed by the system, out of memory)
                raise ParseRefused(422, [("", "reading the text stopped without an answer (out of memory?); expected a scenario file of ordinary size")]) from None
            if kind != "scenario":
                raise ParseRefused(status, content)
            return content
        finally:
            receiving.close()
            if child.is_alive():
                child.kill()
            child.join(timeout=5)
