"""The web API's request and response types (besides the scenario itself, which comes from :mod:`truce.scenario`)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Annotated, Any, Literal, Optional, Union

from fastapi import Body
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from truce.report.html import DEFAULT_RUNS
from truce.scenario import Scenario, load


class Problem(BaseModel):
    path: str = Field(description="Where the problem is inside the request body, e.g. actors[2].capability; empty for the whole request.")
    message: str = Field(description="What was found and what was expected.")


class ErrorResponse(BaseModel):
    detail: list[Problem]


class ScenarioEntry(BaseModel):
    name: str = Field(description="Pass to GET /api/scenarios/{name}.")
    title: str


class ScenarioSummary(BaseModel):
    valid: bool
    name: str
    actors: int
    parties: int
    issues: int
    outcomes: int = Field(description="Packages in the product space.")


class RunOptions(BaseModel):
    """A scenario and the options of a simulation (or of the simulation in a report)."""

    model_config = ConfigDict(extra="forbid")

    scenario: Scenario
    runs: StrictInt = Field(DEFAULT_RUNS, ge=1, description="Monte Carlo runs (the server caps them: GET /api/limits).")
    seed: StrictInt = Field(0, ge=0, le=2**63 - 1, description="Random seed: the same seed gives the same numbers.")
    protocol: Literal["alternating", "single-text"] = "alternating"
    strategies: Union[str, dict[str, str]] = Field(
        "cost-based", description="One strategy for every party (see `truce strategies`), or party id -> strategy."
    )
    rounds: Optional[StrictInt] = Field(None, ge=1, description="Deadline in rounds (default: the scenario's).")
    first_proposer: str = Field(
        "random",
        max_length=200,
        description="Who proposes first (alternating offers): random (per run), alternate (across runs) or a party id, as `truce simulate --first-proposer`.",
    )


class ForecastOptions(BaseModel):
    """A scenario and the options of a forecast."""

    model_config = ConfigDict(extra="forbid")

    scenario: Scenario
    model: Literal["compromise", "smp", "expected_utility"] = "smp"
    rounds: Optional[StrictInt] = Field(None, ge=0, description="smp: most rounds, at least 1 (default 100); expected_utility: rounds (default 10).")


class WhatIfOptions(RunOptions):
    """A simulation's options plus what a what-if compares."""

    hold_days: int = Field(90, ge=1, le=3650, description="A deal counts as lasting when it still holds after this many days.")
    budget: Optional[float] = Field(None, ge=0, description="Every actor's budget for lever combinations (default: the scenario's).")
    protocol: Optional[Literal["alternating", "single-text"]] = None


class JobProgress(BaseModel):
    done: int
    total: int


class JobStatus(BaseModel):
    id: str
    kind: str
    status: Literal["queued", "running", "done", "failed", "cancelled"]
    progress: JobProgress
    result: Optional[dict[str, Any]] = Field(None, description="When done: the simulation, its figures (Plotly JSON) and readings.")
    error: Optional[str] = None


ERRORS = {
    400: {"model": ErrorResponse, "description": "The request cannot be read."},
    408: {"model": ErrorResponse, "description": "The request body did not arrive within the server's time limit."},
    413: {"model": ErrorResponse, "description": "The request body is larger than the server's limit."},
    415: {"model": ErrorResponse, "description": "The request's Content-Type is not one this route reads (JSON; for /api/parse also YAML)."},
    422: {"model": ErrorResponse, "description": "The request is invalid or over one of the server's limits; each problem names its path."},
}
EVERY_ROUTE = {
    401: {"model": ErrorResponse, "description": "The server was started with an access token and the request did not carry it."},
    421: {"model": ErrorResponse, "description": "The Host header does not name this server (a guard against DNS rebinding)."},
}
"""What any route may answer, before the route itself runs (truce.web.guards)."""
BUSY = {429: {"model": ErrorResponse, "description": "Too many jobs at once, on the server or for this client."}}


def as_json(responses: dict[int, dict]) -> dict[int, dict]:
    """``responses`` documented as JSON even on a route whose own response class is not (the report's
    HTML): FastAPI would otherwise describe its error bodies with the route's media type."""
    schema = {"$ref": "#/components/schemas/ErrorResponse"}  # listed by the other routes' errors
    return {code: {"description": response["description"], "content": {"application/json": {"schema": schema}}} for code, response in responses.items()}


@lru_cache(maxsize=None)
def example_scenario(name: str = "two-issue-trade") -> dict[str, Any]:
    """A built-in scenario as a request body holds it (the API description's examples)."""
    return load(name).model_dump(mode="json", exclude_none=True)


def builtin_text(name: str) -> str:
    """The text of a built-in scenario's file."""
    return (resources.files("truce.scenario.builtin") / f"{name}.yaml").read_text(encoding="utf-8")


def _scenario_examples() -> dict[str, Any]:
    return {"two-issue-trade": {"summary": "The built-in teaching scenario two-issue-trade", "value": example_scenario()}}


def _run_examples() -> dict[str, Any]:
    value = {"scenario": example_scenario(), "runs": 200, "seed": 0}
    return {"two-issue-trade": {"summary": "200 runs of the built-in scenario two-issue-trade", "value": value}}


def scenario_examples(summary: str, name: str = "two-issue-trade", **options: Any) -> dict[str, Any]:
    """A request body's example: the built-in scenario ``name`` with ``options`` (shown in the API's
    description, and the first request schemathesis sends to each route)."""
    return {name: {"summary": summary, "value": {"scenario": example_scenario(name), **options}}}


ScenarioBody = Annotated[Scenario, Body(openapi_examples=_scenario_examples())]
RunBody = Annotated[RunOptions, Body(openapi_examples=_run_examples())]
ForecastBody = Annotated[ForecastOptions, Body(openapi_examples=scenario_examples("The SMP forecast of two-issue-trade", model="smp"))]
DurabilityBody = Annotated[
    RunOptions, Body(openapi_examples=scenario_examples("200 runs of the ceasefire gaza-2014-07, then its durability", "gaza-2014-07", runs=200, seed=0))
]
WhatIfBody = Annotated[
    WhatIfOptions, Body(openapi_examples=scenario_examples("The levers of gaza-2014-07 at 100 runs a variant", "gaza-2014-07", runs=100, seed=0))
]
