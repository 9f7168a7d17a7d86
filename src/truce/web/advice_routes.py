"""Routes that advise the mediator on a concrete text: ``/api/improve`` (the Pareto improvements over a
draft) and ``/api/explain`` (what blocks a deal, or where its joint gains are, and for two parties
Adjusted Winner on their stakes), each counted as a job while it runs, like ``/api/analyze``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Body, FastAPI, Request
from pydantic import BaseModel, ConfigDict, Field

from truce.analysis.improve import SearchTooLarge
from truce.errors import InputError
from truce.report.sections.advice import explanation_reading, improvement_reading
from truce.scenario import Scenario
from truce.web.jobs import Busy, Jobs, client_of
from truce.web.limits import Limits, OverLimit
from truce.web.models import BUSY, ERRORS, scenario_examples
from truce.web.responses import problems_response
from truce.web.scenario_routes import compile_checked

MOST_SHOWN = 50
"""Improvements of each kind an answer lists at most (the counts found are always given)."""


class ImproveOptions(BaseModel):
    """A scenario, the text on the table, and how to rank its improvements."""

    model_config = ConfigDict(extra="forbid")
    scenario: Scenario
    text: dict[str, str | int | float] = Field(
        description="The draft: issue id (or name) -> option label; a numeric issue's value on its grid; 'deferred' where the issue allows it."
    )
    by: Literal["nash", "nash-over-draft", "utilitarian", "egalitarian"] = Field("nash", description="The solution concept that ranks improvements.")
    changes: int = Field(2, ge=1, le=4, description="Search improvements changing at most this many issues.")
    most: int = Field(10, ge=1, le=MOST_SHOWN, description="List at most this many improvements of each kind.")


class ExplainOptions(BaseModel):
    """A scenario, and how many trades to list."""

    model_config = ConfigDict(extra="forbid")
    scenario: Scenario
    trades: int = Field(5, ge=1, le=MOST_SHOWN, description="List at most this many trades.")
    trade_issues: int = Field(3, ge=2, le=4, description="Trades change 2 to this many issues.")


ImproveBody = Annotated[
    ImproveOptions,
    Body(openapi_examples=scenario_examples("Improve the text 'crossings: partly open, patrols: limited'", text={"crossings": "partly open", "patrols": "limited"})),
]
ExplainBody = Annotated[ExplainOptions, Body(openapi_examples=scenario_examples("What blocks a deal in two-issue-trade, or where its joint gains are"))]


def add_advice_routes(app: FastAPI, limits: Limits, jobs: Jobs, secured: list) -> None:
    @app.post(
        "/api/improve", dependencies=secured, responses={**ERRORS, **BUSY},
        summary="Improve the text on the table: packages better for some party and worse for none, fewest changes first (counts as a job while it runs)",
    )
    def improve(options: ImproveBody, request: Request) -> Any:
        from truce.analysis.improve import improve as find_improvements
        from truce.scenario.draft import DraftError, draft_package

        problem = compile_checked(options.scenario, limits, prefix="scenario.")
        try:
            draft = draft_package(options.text, problem, source="text")
        except DraftError as error:
            raise OverLimit([(f"text.{path}" if path else "text", message) for path, message in error.problems]) from None
        try:
            with jobs.slot(client_of(request)):
                result = find_improvements(problem, draft, concept=options.by, max_changes=options.changes)
        except Busy as error:
            return problems_response(429, [("", str(error))])
        except SearchTooLarge as error:
            raise OverLimit([("changes", str(error))]) from None
        names = dict(zip(problem.party_ids, problem.party_names))
        return {"improvements": result.to_dict(most=options.most), "reading": improvement_reading(result, names), "parties": names}

    @app.post(
        "/api/explain", dependencies=secured, responses={**ERRORS, **BUSY},
        summary="What blocks a deal (red lines and how far they must move), or where its joint gains are (counts as a job while it runs)",
    )
    def explain(options: ExplainBody, request: Request) -> Any:
        from truce.analysis.explain import explain as explain_space

        problem = compile_checked(options.scenario, limits, prefix="scenario.")
        try:
            with jobs.slot(client_of(request)):
                explanation = explain_space(problem, most_trades=options.trades, trade_issues=options.trade_issues)
        except Busy as error:
            return problems_response(429, [("", str(error))])
        names = dict(zip(problem.party_ids, problem.party_names))
        payload = {
            "explanation": explanation.to_dict(),
            "reading": explanation_reading(explanation, names),
            "parties": names,
            "options": dict(zip(problem.issue_ids, map(list, problem.option_labels))),
            "division": None,
        }
        if problem.n_parties == 2:
            from truce.analysis.stake_division import divide_scenario
            from truce.report.sections.text_on_table import division_reading

            try:
                division = divide_scenario(problem)
            except InputError:
                pass  # a party that values every package the same has no points to spread
            else:
                payload["division"] = {**division.to_dict(), "reading": division_reading(division, names)}
        return payload
