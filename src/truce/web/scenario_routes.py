"""Routes that answer at once: the limits, the built-in scenarios, parsing, validation, analysis and the forecast."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, Path, Request
from fastapi.responses import Response

from truce.errors import InputError
from truce.report import figures, readings
from truce.scenario import Scenario, builtin_scenarios, load
from truce.web.jobs import Busy, Jobs, client_of
from truce.web.limits import Limits, OverLimit, check_scenario, outcome_count, shared_rounds
from truce.web.parsing import ParseRefused, Parser
from truce.web.models import BUSY, ERRORS, ErrorResponse, ForecastBody, ScenarioBody, builtin_text, example_scenario, ScenarioEntry, ScenarioSummary
from truce.web.responses import SafeJSONResponse, problems_response

def compile_checked(scenario: Scenario, limits: Limits, prefix: str = ""):
    """The compiled scenario, once its size is within the server's limits."""
    check_scenario(scenario, limits, prefix=prefix)
    return scenario.compile()


def analysis_payload(problem, analysis) -> dict[str, Any]:
    return {
        "analysis": analysis.to_dict(),
        "figures": {"agreement_space": figures.to_json(figures.agreement_space(analysis))},
        "readings": {"agreement_space": readings.agreement_space(analysis)},
        "size": {"parties": problem.n_parties, "issues": problem.n_issues, "outcomes": problem.n_outcomes},
    }


def add_scenario_routes(app: FastAPI, limits: Limits, jobs: Jobs, secured: list) -> None:
    parser = Parser(limits)

    @app.get("/api/limits", dependencies=secured, summary="This server's per-request limits")
    def get_limits() -> dict[str, Any]:
        values = dict(limits.__dict__)
        values["max_outcomes"] = {str(k): v for k, v in limits.max_outcomes.items()}
        return values

    @app.get("/api/scenarios", dependencies=secured, response_model=list[ScenarioEntry], summary="List the built-in scenarios")
    def list_scenarios() -> list[dict[str, str]]:
        return [{"name": name, "title": title} for name, title in builtin_scenarios().items()]

    @app.get(
        "/api/scenarios/{name}",
        dependencies=secured,
        response_model=Scenario,
        response_model_exclude_none=True,
        responses={404: {"model": ErrorResponse, "description": "No built-in scenario of that name."}},
        summary="Get a built-in scenario",
    )
    def get_scenario(name: Annotated[str, Path(openapi_examples={"two-issue-trade": {"summary": "A built-in scenario", "value": "two-issue-trade"}})]) -> Response:
        known = builtin_scenarios()
        if name not in known:
            return problems_response(404, [("name", f"no built-in scenario '{name}'; expected one of {', '.join(known)}")])
        return SafeJSONResponse(load(name).model_dump(mode="json", exclude_none=True))

    @app.post(
        "/api/parse",
        dependencies=secured,
        response_model=Scenario,
        response_model_exclude_none=True,
        responses=ERRORS,
        summary="Read a scenario file's text (YAML or JSON) into the scenario JSON",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/yaml": {
                        "schema": {"type": "string", "description": "A scenario file's text, YAML (which includes JSON)."},
                        "example": builtin_text("two-issue-trade"),
                    },
                    "application/json": {"schema": {"type": "object", "description": "A scenario file's text in JSON."}, "example": example_scenario()},
                },
            }
        },
    )
    async def parse_text(request: Request) -> Response:
        raw = await request.body()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            return problems_response(400, [("", f"not UTF-8 text ({error.reason} at byte {error.start}); expected a UTF-8 YAML or JSON text")])
        try:
            # JSON (the fast parser, and no aliases) or YAML, read in a child process within a time budget
            scenario = await parser.parse(text, json_only=text.lstrip().startswith("{"))
        except ParseRefused as refused:
            return problems_response(refused.status, refused.problems)
        return SafeJSONResponse(scenario)

    @app.post("/api/validate", dependencies=secured, response_model=ScenarioSummary, responses=ERRORS, summary="Check a scenario")
    def validate(scenario: ScenarioBody) -> dict[str, Any]:
        problem = compile_checked(scenario, limits)
        return {
            "valid": True,
            "name": scenario.name,
            "actors": len(scenario.actors),
            "parties": problem.n_parties,
            "issues": problem.n_issues,
            "outcomes": outcome_count(scenario),
        }

    @app.post("/api/analyze", dependencies=secured, responses={**ERRORS, **BUSY}, summary="The agreement space: Pareto frontier, ZOPA, solution concepts (counts as a job while it runs)")
    def analyze(scenario: ScenarioBody, request: Request) -> Any:
        problem = compile_checked(scenario, limits)
        try:
            with jobs.slot(client_of(request)):
                return analysis_payload(problem, problem.analyze())
        except Busy as error:
            return problems_response(429, [("", str(error))])

    @app.post(
        "/api/forecast", dependencies=secured, responses={**ERRORS, **BUSY},
        summary="Where each issue settles: compromise, KTAB's SMP or the expected-utility model (counts as a job while it runs)",
    )
    def forecast(options: ForecastBody, request: Request) -> Any:
        problem = compile_checked(options.scenario, limits, prefix="scenario.")
        if options.rounds is not None and options.rounds > limits.max_forecast_rounds:
            raise OverLimit([("rounds", f"found {options.rounds}; expected at most {limits.max_forecast_rounds} forecast rounds (this server's limit)")])
        if options.model == "smp" and options.rounds == 0:  # as `truce forecast --rounds 0`: the model needs one
            raise OverLimit([("rounds", "found 0; expected at least 1 round for the smp model (0 is for expected_utility only)")])
        if options.rounds:
            if problems := shared_rounds(options.rounds):
                raise OverLimit(problems)
        settings: dict[str, Any] = {}
        if options.model == "smp":
            settings["max_rounds"] = min(100, limits.max_forecast_rounds) if options.rounds is None else options.rounds
        elif options.model == "expected_utility" and options.rounds is not None:
            settings["rounds"] = options.rounds
        try:
            with jobs.slot(client_of(request)):
                result = problem.forecast(options.model, **settings)
        except Busy as error:
            return problems_response(429, [("", str(error))])
        except InputError as error:
            raise OverLimit([("scenario", str(error))]) from None
        return {"forecast": result.to_dict(), "outcome": result.outcome(), "figures": {"positions": figures.to_json(figures.issue_positions(result))}}
