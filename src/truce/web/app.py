"""The web app: a JSON API over the engines, and the page that uses it.

``create_app()`` returns a FastAPI application. Its request types are the
scenario's pydantic models (the same ones that validate scenario files), so
the OpenAPI description at ``/openapi.json`` (browsable at ``/docs``)
documents the scenario format too. Every error, whatever its cause, has the
shape ``{"detail": [{"path": "actors[2].capability", "message": "..."}]}``,
where ``path`` locates the problem inside the request body.

Routes only parse, check budgets (:mod:`truce.web.limits`), call the
engines and format their results with :mod:`truce.report`; they compute
nothing themselves. They live by concern in :mod:`truce.web.page`,
:mod:`truce.web.scenario_routes` and :mod:`truce.web.job_routes`.
"""

from __future__ import annotations

import os
from contextlib import asynccontextmanager
from typing import Iterable

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException

from truce import __version__
from truce.limits import LimitError
from truce.scenario import ScenarioError
from truce.web.advice_routes import add_advice_routes
from truce.web.draft_route import add_draft_routes
from truce.web.guards import BodyLimit, ContentTypeGuard, FiniteJSON, HostGuard, TokenGuard
from truce.web.headers import SecurityHeaders
from truce.web.job_routes import add_job_routes
from truce.web.jobs import Jobs
from truce.web.limits import Limits, OverLimit, limit_problem
from truce.web.models import EVERY_ROUTE
from truce.web.page import add_page_routes
from truce.web.parsing import Parser
from truce.web.responses import SafeJSONResponse, problems_response, request_problems
from truce.web.scenario_routes import add_scenario_routes


def create_app(token: str | None = None, limits: Limits | None = None, allowed_hosts: Iterable[str] = ()) -> FastAPI:
    """The web app. With a token (the argument, else the ``TRUCE_TOKEN`` environment variable)
    every request must carry it as ``Authorization: Bearer TOKEN``; ``limits`` caps each request's work.
    Requests must name the server in their Host header: localhost, 127.0.0.1, [::1], the address
    they came in on, or one of ``allowed_hosts``."""
    token = token if token is not None else (os.environ.get("TRUCE_TOKEN") or None)
    limits = limits or Limits()
    jobs = Jobs(limits)

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        Parser.warm_up()
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
        responses=EVERY_ROUTE,
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

    @app.exception_handler(LimitError)
    async def _cap(_: Request, error: LimitError):
        return problems_response(422, [limit_problem(error)])

    @app.exception_handler(ScenarioError)
    async def _scenario(_: Request, error: ScenarioError):
        return problems_response(422, error.problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, error: StarletteHTTPException):
        return problems_response(error.status_code, [("", str(error.detail))])

    add_page_routes(app, token)
    add_scenario_routes(app, limits, jobs, secured)
    add_job_routes(app, limits, jobs, secured)
    add_draft_routes(app, limits, secured)
    add_advice_routes(app, limits, jobs, secured)

    # Added last runs first: every answer has the security headers; the Host, the token and the
    # content type are checked before the body is read, its size as it is read, its numbers once it is.
    app.add_middleware(FiniteJSON)
    app.add_middleware(BodyLimit, max_bytes=limits.max_body_bytes, max_seconds=limits.max_body_seconds)
    app.add_middleware(ContentTypeGuard)
    if token:
        app.add_middleware(TokenGuard, token=token)
    app.add_middleware(HostGuard, allowed=frozenset(allowed_hosts))
    app.add_middleware(SecurityHeaders)
    app.state.token_required = bool(token)
    return app
