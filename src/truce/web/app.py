"""The web app: a JSON API over the engines, and the page that uses it.

``create_app()`` returns a FastAPI application. Its request types are the
scenario's pydantic models (the same ones that validate scenario files), so
the OpenAPI description at ``/openapi.json`` (browsable at ``/docs``)
documents the scenario format too. Every error, whatever its cause, has the
shape ``{"detail": [{"path": "actors[2].capability", "message": "..."}]}``,
where ``path`` locates the problem inside the request body.

Routes only parse, check budgets (:mod:`truce.web.limits`), call the
engines and format their results with :mod:`truce.report`; they compute
nothing themselves.
"""

from __future__ import annotations

import json
import os
import re
from contextlib import asynccontextmanager
from functools import lru_cache
from importlib import resources
from typing import Annotated, Any, Literal, Optional, Union
from urllib.parse import quote

import yaml
from fastapi import Body, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from truce import __version__
from truce.json_safe import finite
from truce.report import figures, readings
from truce.mediation.whatif import what_if
from truce.report.html import DEFAULT_RUNS, render_report
from truce.report.inputs import LeverEffects, Survival
from truce.scenario import Scenario, ScenarioError, builtin_scenarios, load, parse
from truce.scenario.loading import format_path
from truce.scenario.schema import Findings
from truce.simulate.durability import durability as survival
from truce.simulate.strategies import make as make_strategy
from truce.web.guards import BodyLimit, TokenGuard
from truce.web.jobs import Busy, Jobs
from truce.web.limits import Limits, OverLimit, check_runs, check_scenario, outcome_count

MAX_PROBLEMS = 50
"""Problems listed in one error response; the count of the rest is given."""
MAX_YAML_NODES = 200_000
"""A YAML upload may expand (through anchors and aliases) to at most this many values."""
STATIC_PACKAGE = "truce.web.static"


# --------------------------------------------------------------------- models
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
    runs: int = Field(DEFAULT_RUNS, ge=1, description="Monte Carlo runs (the server caps them: GET /api/limits).")
    seed: int = Field(0, ge=0, le=2**63 - 1, description="Random seed: the same seed gives the same numbers.")
    protocol: Literal["alternating", "single-text"] = "alternating"
    strategies: Union[str, dict[str, str]] = Field(
        "cost-based", description="One strategy for every party (see `truce strategies`), or party id -> strategy."
    )
    rounds: Optional[int] = Field(None, ge=1, description="Deadline in rounds (default: the scenario's).")


class ForecastOptions(BaseModel):
    """A scenario and the options of a forecast."""

    model_config = ConfigDict(extra="forbid")

    scenario: Scenario
    model: Literal["compromise", "smp", "expected_utility"] = "smp"
    rounds: Optional[int] = Field(None, ge=0, description="smp: most rounds (default 100); expected_utility: rounds (default 10).")


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
    status: Literal["queued", "running", "done", "failed"]
    progress: JobProgress
    result: Optional[dict[str, Any]] = Field(None, description="When done: the simulation, its figures (Plotly JSON) and readings.")
    error: Optional[str] = None


ERRORS = {
    400: {"model": ErrorResponse, "description": "The request cannot be read."},
    413: {"model": ErrorResponse, "description": "The request body is larger than the server's limit."},
    422: {"model": ErrorResponse, "description": "The request is invalid or over one of the server's limits; each problem names its path."},
}


@lru_cache(maxsize=1)
def _example_scenario() -> dict[str, Any]:
    return load("two-issue-trade").model_dump(mode="json", exclude_none=True)


def _scenario_examples() -> dict[str, Any]:
    return {"two-issue-trade": {"summary": "The built-in teaching scenario two-issue-trade", "value": _example_scenario()}}


def _run_examples() -> dict[str, Any]:
    value = {"scenario": _example_scenario(), "runs": 200, "seed": 0}
    return {"two-issue-trade": {"summary": "200 runs of the built-in scenario two-issue-trade", "value": value}}


ScenarioBody = Annotated[Scenario, Body(openapi_examples=_scenario_examples())]
RunBody = Annotated[RunOptions, Body(openapi_examples=_run_examples())]


# ------------------------------------------------------------------ responses
class SafeJSONResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return json.dumps(finite(content), ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def problems_response(status: int, problems: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> SafeJSONResponse:
    problems = list(problems)
    listed = [{"path": path, "message": message} for path, message in problems[:MAX_PROBLEMS]]
    if len(problems) > MAX_PROBLEMS:
        listed.append({"path": "", "message": f"... and {len(problems) - MAX_PROBLEMS} more problems"})
    return SafeJSONResponse({"detail": listed}, status_code=status)


def _join(prefix: str, path: str) -> str:
    if not prefix:
        return path
    if not path:
        return prefix
    return prefix + path if path.startswith("[") else f"{prefix}.{path}"


def request_problems(error: RequestValidationError) -> list[tuple[str, str]]:
    """FastAPI's validation errors as (path inside the body, message), in the scenario loader's wording."""
    problems = []
    for item in error.errors():
        location = tuple(item.get("loc", ()))
        where = location[0] if location else "body"
        location = location[1:] if where in ("body", "query", "path", "header") else location
        prefix = format_path(location)
        context = (item.get("ctx") or {}).get("error")
        if isinstance(context, Findings):
            problems += [(_join(prefix, path), message) for path, message in context.findings]
            continue
        kind = item.get("type", "")
        message = str(item.get("msg", "invalid")).removeprefix("Value error, ")
        if kind == "json_invalid":
            problems.append(("", f"invalid JSON: {(item.get('ctx') or {}).get('error', message)}"))
        elif kind == "missing":
            problems.append((prefix, "missing; this field is required"))
        elif kind == "extra_forbidden":
            problems.append((prefix, "unknown field; check its spelling against the schema (GET /openapi.json)"))
        else:
            found = repr(item.get("input"))
            found = found if len(found) <= 60 else found[:57] + "..."
            problems.append((prefix, message if message.startswith("found ") else f"found {found}; {message[:1].lower()}{message[1:]}"))
    return problems


# --------------------------------------------------------------------- helpers
def _yaml_size(text: str) -> int:
    """How many values the YAML expands to once its aliases are followed (stops counting past the limit)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
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


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "scenario"


def _party_names(problem) -> dict[str, str]:
    return dict(zip(problem.party_ids, problem.party_names))


def _compile(scenario: Scenario, limits: Limits, prefix: str = ""):
    check_scenario(scenario, limits, prefix=prefix)
    return scenario.compile()


def _check_strategies(strategies: str | dict[str, str], scenario: Scenario) -> None:
    party_ids = [party.id for party in scenario.parties]
    if isinstance(strategies, dict):
        unknown = sorted(set(strategies) - set(party_ids))
        missing = sorted(set(party_ids) - set(strategies))
        if unknown or missing:
            raise OverLimit(
                [("strategies", f"expected one strategy per party ({', '.join(party_ids)}); unknown {unknown or 'none'}, missing {missing or 'none'}")]
            )
        specs = list(strategies.values())
    else:
        specs = [strategies]
    for spec in specs:
        try:
            make_strategy(spec)
        except ValueError as error:
            raise OverLimit([("strategies", str(error))]) from None


def analysis_payload(problem, analysis) -> dict[str, Any]:
    return {
        "analysis": analysis.to_dict(),
        "figures": {"agreement_space": figures.to_json(figures.agreement_space(analysis))},
        "readings": {"agreement_space": readings.agreement_space(analysis)},
        "size": {"parties": problem.n_parties, "issues": problem.n_issues, "outcomes": problem.n_outcomes},
    }


def simulation_payload(problem, analysis, result) -> dict[str, Any]:
    party_names = _party_names(problem)
    common = result.most_common_package()
    return {
        "simulation": result.to_dict(),
        "figures": {
            "rounds": figures.to_json(figures.rounds_to_agreement(result)),
            "terms": figures.to_json(figures.agreed_terms(result)),
        },
        "readings": {
            "summary": readings.summary(analysis, result),
            "simulation": readings.simulation(result, party_names),
            "deal_chance": readings.deal_chance(result),
            "time_to_agreement": readings.time_to_agreement(result),
            "package": None if common is None else readings.package_in_words(common[0]),
        },
    }


@lru_cache(maxsize=1)
def plotly_javascript() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


@lru_cache(maxsize=1)
def page_html() -> str:
    """The page with its style and script inlined: one request fetches it all."""
    static = resources.files(STATIC_PACKAGE)
    page = (static / "index.html").read_text(encoding="utf-8")
    style = (static / "style.css").read_text(encoding="utf-8")
    script = (static / "app.js").read_text(encoding="utf-8")
    page = page.replace("<!-- style -->", f"<style>\n{style}\n</style>")
    page = page.replace("<!-- script -->", f"<script>\n{script}\n</script>")
    return page.replace("{{version}}", __version__)


# ------------------------------------------------------------------------ app
def create_app(token: str | None = None, limits: Limits | None = None) -> FastAPI:
    """The web app. With a token (the argument, else the ``TRUCE_TOKEN`` environment variable)
    every request must carry it as ``Authorization: Bearer TOKEN``; ``limits`` caps each request's work."""
    token = token if token is not None else (os.environ.get("TRUCE_TOKEN") or None)
    limits = limits or Limits()
    jobs = Jobs(limits)

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        yield
        jobs.shutdown()

    app = FastAPI(
        title="truce",
        version=__version__,
        description=(
            "Model, analyse and simulate mediated multi-party negotiations. Request bodies use the scenario "
            "format (the same as scenario files); errors list each problem with its path inside the body."
        ),
        docs_url=None,
        redoc_url=None,
        default_response_class=SafeJSONResponse,
        lifespan=lifespan,
    )
    app.state.limits = limits
    app.state.jobs = jobs
    secured = [Depends(HTTPBearer(auto_error=False, description="The server's access token"))] if token else []

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, error: RequestValidationError):
        return problems_response(422, request_problems(error))

    @app.exception_handler(OverLimit)
    async def _over(_: Request, error: OverLimit):
        return problems_response(422, error.problems)

    @app.exception_handler(ScenarioError)
    async def _scenario(_: Request, error: ScenarioError):
        return problems_response(422, error.problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, error: StarletteHTTPException):
        return problems_response(error.status_code, [("", str(error.detail))])

    # --- page ---------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    def page() -> HTMLResponse:
        return HTMLResponse(page_html(), headers={"Cache-Control": "no-store"})

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly() -> Response:
        return Response(plotly_javascript(), media_type="application/javascript", headers={"Cache-Control": "private, max-age=86400"})

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        # Only a server with a token passes it on (the guard has checked it by now), URL-quoted into the page.
        given = request.query_params.get("token") if token else None
        query = f"?token={quote(given, safe='')}" if given else ""
        return get_swagger_ui_html(openapi_url=f"/openapi.json{query}", title="truce API")

    # --- API ----------------------------------------------------------------
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
    def get_scenario(name: str) -> Response:
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
            "requestBody": {"required": True, "content": {"text/plain": {"schema": {"type": "string", "description": "A scenario file's text, YAML or JSON."}}}}
        },
    )
    async def parse_text(request: Request) -> Response:
        raw = await request.body()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            return problems_response(400, [("", f"not UTF-8 text ({error.reason} at byte {error.start})")])
        if text.lstrip().startswith("{"):
            scenario = parse(text, source="upload", json_only=True)  # JSON: the fast parser, and no aliases
        else:
            try:
                expanded = _yaml_size(text)
            except yaml.YAMLError:
                expanded = 0  # the parser below reports the syntax error with its line and column
            if expanded > MAX_YAML_NODES:
                return problems_response(
                    422, [("", f"the text expands to more than {MAX_YAML_NODES:,} values (through YAML anchors and aliases); expected a plain scenario")]
                )
            scenario = parse(text, source="upload")
        return SafeJSONResponse(scenario.model_dump(mode="json", exclude_none=True))

    @app.post("/api/validate", dependencies=secured, response_model=ScenarioSummary, responses=ERRORS, summary="Check a scenario")
    def validate(scenario: ScenarioBody) -> dict[str, Any]:
        problem = _compile(scenario, limits)
        return {
            "valid": True,
            "name": scenario.name,
            "actors": len(scenario.actors),
            "parties": problem.n_parties,
            "issues": problem.n_issues,
            "outcomes": outcome_count(scenario),
        }

    @app.post("/api/analyze", dependencies=secured, responses=ERRORS, summary="The agreement space: Pareto frontier, ZOPA, solution concepts")
    def analyze(scenario: ScenarioBody) -> dict[str, Any]:
        problem = _compile(scenario, limits)
        return analysis_payload(problem, problem.analyze())

    def start_job(kind: str, total: int, work) -> Response:
        """Queue ``work`` as a background job: 202 with where to poll, or 429 when the server is busy."""
        try:
            job = jobs.submit(kind, total, work)
        except Busy as error:
            return problems_response(429, [("", str(error))])
        return SafeJSONResponse(job.to_dict(), status_code=202, headers={"Location": f"/api/jobs/{job.id}"})

    def simulate_request(problem, options: RunOptions, advance):
        """The Monte Carlo runs a request asks for, reporting progress to its job."""
        return problem.simulate(
            runs=options.runs, seed=options.seed, protocol=options.protocol,
            strategies=options.strategies, rounds=options.rounds, progress=advance,
        )

    def checked_run(options: RunOptions):
        """The compiled scenario of a run request, once its size, runs and strategies are within limits."""
        problem = _compile(options.scenario, limits, prefix="scenario.")
        check_runs(options.runs, options.rounds or options.scenario.rounds, limits)
        _check_strategies(options.strategies, options.scenario)
        return problem

    @app.post(
        "/api/simulate",
        dependencies=secured,
        status_code=202,
        response_model=JobStatus,
        responses={**ERRORS, 429: {"model": ErrorResponse, "description": "Too many jobs at once."}},
        summary="Start a Monte Carlo simulation in the background; poll GET /api/jobs/{id}",
    )
    def simulate(options: RunBody) -> Response:
        problem = checked_run(options)

        def work(advance) -> dict[str, Any]:
            result = simulate_request(problem, options, advance)
            return simulation_payload(problem, problem.analyze(), result)

        return start_job("simulate", options.runs, work)

    @app.post("/api/forecast", dependencies=secured, responses=ERRORS, summary="Where each issue settles: compromise, KTAB's SMP or the expected-utility model")
    def forecast(options: ForecastOptions) -> dict[str, Any]:
        problem = _compile(options.scenario, limits, prefix="scenario.")
        if options.rounds is not None and options.rounds > limits.max_forecast_rounds:
            raise OverLimit([("rounds", f"found {options.rounds}; this server runs at most {limits.max_forecast_rounds} forecast rounds")])
        settings: dict[str, Any] = {}
        if options.model == "smp":
            settings["max_rounds"] = min(100, limits.max_forecast_rounds) if options.rounds is None else options.rounds
        elif options.model == "expected_utility" and options.rounds is not None:
            settings["rounds"] = options.rounds
        try:
            result = problem.forecast(options.model, **settings)
        except ValueError as error:
            raise OverLimit([("scenario", str(error))]) from None
        return {"forecast": result.to_dict(), "outcome": result.outcome(), "figures": {"positions": figures.to_json(figures.issue_positions(result))}}

    @app.post(
        "/api/whatif",
        dependencies=secured,
        status_code=202,
        response_model=JobStatus,
        responses={**ERRORS, 429: {"model": ErrorResponse, "description": "Too many jobs at once."}},
        summary="Compare the mediator levers on the same draws in the background; poll GET /api/jobs/{id}",
    )
    def whatif(options: WhatIfOptions) -> Response:
        problem = checked_run(options)
        if options.runs > limits.max_whatif_runs:
            raise OverLimit([("runs", f"found {options.runs}; a what-if replays the runs for every lever, so this server allows at most {limits.max_whatif_runs:,} runs per variant")])
        if problem.n_levers == 0:
            raise OverLimit([("scenario.levers", "the scenario has no levers; add a `levers:` list to compare them")])
        variants = 1 + problem.n_levers + len(set(problem.lever_by))

        def work(advance) -> dict[str, Any]:
            result = what_if(
                problem, runs=options.runs, seed=options.seed, protocol=options.protocol, strategies=options.strategies,
                rounds=options.rounds, budget=options.budget, hold_days=options.hold_days, progress=lambda _name: advance(1),
            )
            return {"whatif": result.to_dict(), "figures": {"levers": figures.to_json(figures.lever_ranking(LeverEffects.from_whatif(result)))}}

        return start_job("whatif", variants, work)

    @app.post(
        "/api/durability",
        dependencies=secured,
        status_code=202,
        response_model=JobStatus,
        responses={**ERRORS, 429: {"model": ErrorResponse, "description": "Too many jobs at once."}},
        summary="Simulate, then follow every signed ceasefire: P(holds 30/90/365 days) and the survival curve; poll GET /api/jobs/{id}",
    )
    def durability(options: RunBody) -> Response:
        problem = checked_run(options)

        def work(advance) -> dict[str, Any]:
            result = simulate_request(problem, options, advance)
            outcome = survival(problem, result)
            shape = Survival.from_durability(outcome)
            return {
                "durability": outcome.to_dict(),
                "figures": {"survival": None if shape is None else figures.to_json(figures.survival_curve(shape))},
            }

        return start_job("durability", options.runs, work)

    @app.get(
        "/api/jobs/{job_id}",
        dependencies=secured,
        response_model=JobStatus,
        responses={404: {"model": ErrorResponse, "description": "No such job (or it finished long ago and was forgotten)."}},
        summary="A background job's progress and, when done, its result",
    )
    def job_status(job_id: str) -> Response:
        job = jobs.get(job_id)
        if job is None:
            return problems_response(404, [("job_id", f"no job '{job_id[:64]}' (finished jobs are kept for a while, then forgotten)")])
        return SafeJSONResponse(job.to_dict())

    @app.post(
        "/api/report",
        dependencies=secured,
        response_class=HTMLResponse,
        responses={**ERRORS, 200: {"content": {"text/html": {}}, "description": "The self-contained HTML report."}},
        summary="The self-contained HTML report (runs the analysis and the simulation)",
    )
    def report(options: RunBody) -> Response:
        _compile(options.scenario, limits, prefix="scenario.")
        rounds = options.rounds or options.scenario.rounds
        check_runs(options.runs, rounds, limits, report=True)
        _check_strategies(options.strategies, options.scenario)
        try:
            text = render_report(
                options.scenario, runs=options.runs, seed=options.seed, protocol=options.protocol,
                strategies=options.strategies, rounds=options.rounds, source="sent to the truce web app (download it from the page; its SHA-256 is below)",
            )
        except ValueError as error:
            raise OverLimit([("", str(error))]) from None
        filename = f"{_slug(options.scenario.name)}-report.html"
        return HTMLResponse(text, headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    # Added last runs first: the token is checked before the body is read.
    app.add_middleware(BodyLimit, max_bytes=limits.max_body_bytes)
    if token:
        app.add_middleware(TokenGuard, token=token)
    app.state.token_required = bool(token)
    return app
