"""``POST /api/draft``: a draft scenario from a news text, read in a child process within a time budget.

Like ``/api/parse`` (:mod:`truce.web.parsing`), each text is read in
another process, so a slow reading never holds up the event loop: a worker
started from the fork server that keeps spaCy's pipeline loaded between
texts (loading it takes a second or more), and is killed and started again
when a text takes longer than ``Limits.max_draft_seconds`` (422). At most
``Limits.max_drafts`` texts are read at once (more get 429). The text is capped at
:data:`truce.newsdraft.MAX_TEXT_CHARACTERS` characters (422 beyond), within
the body limit every request has.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
from multiprocessing.connection import Connection
from typing import Annotated, Any

import anyio
from fastapi import Body, FastAPI
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from truce.newsdraft import MAX_TEXT_CHARACTERS
from truce.web.limits import Limits
from truce.web.models import ERRORS
from truce.web.responses import SafeJSONResponse, problems_response


class DraftRequest(BaseModel):
    """A news text to draft a scenario from."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARACTERS, description="The news text (plain text).")
    source_name: str = Field("the text", max_length=200, description="What to call the text in the draft (its title or file name).")


def draft_answer(text: str, source_name: str) -> tuple[str, int, Any]:
    """The draft of one text, or the reader's complaint: (kind, HTTP status, content)."""
    from truce.errors import InputError
    from truce.newsdraft import read_text
    from truce.newsdraft.build import to_yaml
    from truce.scenario.placeholders import find_placeholders

    try:
        reading = read_text(text, source="text")
        data = reading.scenario(source_name)
        return "draft", 200, {
            "scenario": data,
            "yaml": to_yaml(data),
            "reading": reading.to_dict(),
            "placeholders": [{"path": path, "text": hint} for path, hint in find_placeholders(data)],
        }
    except InputError as error:
        return "refused", 422, [("text", str(error).removeprefix("text: "))]
    except MemoryError:
        return "refused", 422, [("text", "the text needs more memory than this server has to read it")]


def serve_drafts(connection: Connection) -> None:
    """The worker process: load the pipeline once, then answer each (text, source name) it is sent."""
    from truce.newsdraft.pipeline import pipeline

    pipeline()
    while True:
        try:
            text, source_name = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(draft_answer(text, source_name))


class _Worker:
    """One worker process (from the fork server) that keeps spaCy loaded between texts; killed and
    started again when a text takes longer than the budget."""

    def __init__(self) -> None:
        self.process = None
        self.connection: Connection | None = None

    def _start(self) -> None:
        context = multiprocessing.get_context("forkserver")
        self.connection, theirs = context.Pipe(duplex=True)
        self.process = context.Process(target=serve_drafts, args=(theirs,), daemon=True, name="truce-draft")
        self.process.start()
        theirs.close()

    def stop(self) -> None:
        if self.connection is not None:
            self.connection.close()
        if self.process is not None:
            if self.process.is_alive():
                self.process.kill()
            self.process.join(timeout=5)
        self.process = self.connection = None

    def ask(self, text: str, source_name: str, seconds: float) -> tuple[int, Any]:
        if self.process is None or not self.process.is_alive():
            self.stop()
            self._start()
        self.connection.send((text, source_name))
        if not self.connection.poll(seconds):
            self.stop()
            return 422, [("text", f"drafting took longer than {seconds:g} s, this server's limit; expected a news text of ordinary length")]
        try:
            _, status, content = self.connection.recv()
        except (EOFError, OSError):  # the worker died without answering (killed by the system, out of memory)
            self.stop()
            return 422, [("text", "drafting stopped without an answer (out of memory?); expected a news text of ordinary length")]
        return status, content


class Drafter:
    """Drafts texts in worker processes, at most ``limits.max_drafts`` at once, each within ``limits.max_draft_seconds``
    (the first text of a worker includes loading spaCy)."""

    def __init__(self, limits: Limits):
        self._limits = limits
        self._slots = threading.BoundedSemaphore(limits.max_drafts)
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()

    async def draft(self, text: str, source_name: str) -> tuple[int, Any]:
        if not self._slots.acquire(blocking=False):
            return 429, [("", f"this server drafts at most {self._limits.max_drafts} texts at once; retry in a moment")]
        try:
            return await anyio.to_thread.run_sync(self._ask, text, source_name, abandon_on_cancel=True)
        finally:
            self._slots.release()

    def _ask(self, text: str, source_name: str) -> tuple[int, Any]:
        try:
            worker = self._idle.get_nowait()
        except queue.Empty:
            worker = _Worker()
        try:
            return worker.ask(text, source_name, self._limits.max_draft_seconds)
        finally:
            self._idle.put(worker)


EXAMPLE_TEXT = (
    "Talks between the union and the city council resumed on Monday, hosted by the state mediation service. "
    "The union demands a 6% pay rise and shorter shifts; the council refuses any rise above 2%, citing its budget. "
    "Both sides say a strike that began two weeks ago is costing them dearly."
)
DraftBody = Annotated[
    DraftRequest, Body(openapi_examples={"labour-talks": {"summary": "A short news text on labour talks", "value": {"text": EXAMPLE_TEXT, "source_name": "labour talks"}}})
]


def add_draft_routes(app: FastAPI, limits: Limits, secured: list) -> None:
    drafter = Drafter(limits)

    @app.post(
        "/api/draft",
        dependencies=secured,
        responses=ERRORS,
        summary="Draft a scenario from a news text: actors, roles, issues, demands, with placeholders for the numbers",
    )
    async def draft(body: DraftBody) -> Response:
        status, content = await drafter.draft(body.text, body.source_name)
        if status != 200:
            return problems_response(status, content)
        return SafeJSONResponse(content)
