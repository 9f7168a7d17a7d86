"""Routes of the long work: simulation, what-if and durability as background jobs, their status, and the report."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from truce.errors import InputError
from truce.mediation.whatif import what_if
from truce.report import figures, readings
from truce.report.html import render_report
from truce.report.inputs import LeverEffects, Survival
from truce.report.sections.phases import phases_reading
from truce.scenario import Scenario
from truce.simulate.durability import durability as survival
from truce.simulate.phases import simulate_phases
from truce.simulate.strategies import make as make_strategy
from truce.web.headers import REPORT_POLICY
from truce.web.jobs import Busy, Jobs, client_of
from truce.web.limits import Limits, OverLimit, check_runs
from truce.web.models import BUSY, ERRORS, EVERY_ROUTE, ErrorResponse, as_json, JobStatus, DurabilityBody, RunBody, RunOptions, WhatIfBody
from truce.web.responses import SafeJSONResponse, problems_response
from truce.web.scenario_routes import compile_checked




def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "scenario"


def check_strategies(strategies: str | dict[str, str], scenario: Scenario) -> None:
    """Raise :class:`OverLimit` unless ``strategies`` names known strategies, one per party when a mapping."""
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


def check_first_proposer(first_proposer: str, scenario: Scenario) -> None:
    """Raise :class:`OverLimit` unless ``first_proposer`` is random, alternate or a party's id (as the CLI's ``--first-proposer``)."""
    party_ids = [party.id for party in scenario.parties]
    if first_proposer not in ("random", "alternate", *party_ids):
        raise OverLimit([("first_proposer", f"found '{first_proposer[:64]}'; expected random, alternate or a party id ({', '.join(party_ids)})")])


def simulation_payload(problem, analysis, result) -> dict[str, Any]:
    party_names = dict(zip(problem.party_ids, problem.party_names))
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


def add_job_routes(app: FastAPI, limits: Limits, jobs: Jobs, secured: list) -> None:
    def start_job(kind: str, total: int, work, request: Request) -> Response:
        """Queue ``work`` as a background job: 202 with where to poll, or 429 when the server (or this client) is busy."""
        try:
            job = jobs.submit(kind, total, work, client=client_of(request))
        except Busy as error:
            return problems_response(429, [("", str(error))])
        return SafeJSONResponse(job.to_dict(), status_code=202, headers={"Location": f"/api/jobs/{job.id}"})

    def simulate_request(problem, options: RunOptions, advance):
        """The Monte Carlo runs a request asks for, reporting progress to its job."""
        return problem.simulate(
            runs=options.runs, seed=options.seed, protocol=options.protocol,
            strategies=options.strategies, rounds=options.rounds, first_proposer=options.first_proposer, progress=advance,
        )

    def checked_run(options: RunOptions):
        """The compiled scenario of a run request, once its size, runs and strategies are within limits."""
        problem = compile_checked(options.scenario, limits, prefix="scenario.")
        check_runs(options.runs, options.rounds or options.scenario.rounds, limits)
        check_strategies(options.strategies, options.scenario)
        check_first_proposer(options.first_proposer, options.scenario)
        return problem

    @app.post(
        "/api/simulate",
        dependencies=secured,
        status_code=202,
        response_model=JobStatus,
        responses={**ERRORS, **BUSY},
        summary="Start a Monte Carlo simulation in the background; poll GET /api/jobs/{id}",
    )
    def simulate(options: RunBody, request: Request) -> Response:
        problem = checked_run(options)

        def work(advance) -> dict[str, Any]:
            result = simulate_request(problem, options, advance)
            payload = simulation_payload(problem, problem.analyze(), result)
            if problem.phases:
                # the same talks phase by phase, beside the simulation of every issue at once
                phased = simulate_phases(
                    problem, runs=options.runs, seed=options.seed, protocol=options.protocol, strategies=options.strategies,
                    rounds=options.rounds, first_proposer=options.first_proposer,
                )
                payload["phases"] = phased.phases_to_dict()
                payload["readings"]["phases"] = phases_reading(phased)
            return payload

        return start_job("simulate", options.runs, work, request)

    @app.post(
        "/api/whatif",
        dependencies=secured,
        status_code=202,
        response_model=JobStatus,
        responses={**ERRORS, **BUSY},
        summary="Compare the mediator levers on the same draws in the background; poll GET /api/jobs/{id}",
    )
    def whatif(options: WhatIfBody, request: Request) -> Response:
        problem = checked_run(options)
        if options.runs > limits.max_whatif_runs:
            raise OverLimit([("runs", f"found {options.runs}; expected at most {limits.max_whatif_runs:,} runs per variant (this server's limit: a what-if replays the runs for every lever)")])
        if problem.n_levers == 0:
            raise OverLimit([("scenario.levers", "found none; expected a `levers:` list to compare")])
        variants = 1 + problem.n_levers + len(set(problem.lever_by))

        def work(advance) -> dict[str, Any]:
            result = what_if(
                problem, runs=options.runs, seed=options.seed, protocol=options.protocol, strategies=options.strategies,
                rounds=options.rounds, budget=options.budget, hold_days=options.hold_days, first_proposer=options.first_proposer,
                progress=lambda _name: advance(1),
                all_at_once=True,  # like the page's other panels; the simulation's payload carries the phases
            )
            return {"whatif": result.to_dict(), "figures": {"levers": figures.to_json(figures.lever_ranking(LeverEffects.from_whatif(result)))}}

        return start_job("whatif", variants, work, request)

    @app.post(
        "/api/durability",
        dependencies=secured,
        status_code=202,
        response_model=JobStatus,
        responses={**ERRORS, **BUSY},
        summary="Simulate, then follow every signed ceasefire: P(holds 30/90/365 days) and the survival curve; poll GET /api/jobs/{id}",
    )
    def durability(options: DurabilityBody, request: Request) -> Response:
        problem = checked_run(options)

        def work(advance) -> dict[str, Any]:
            result = simulate_request(problem, options, advance)
            outcome = survival(problem, result)
            shape = Survival.from_durability(outcome)
            return {
                "durability": outcome.to_dict(),
                "figures": {"survival": None if shape is None else figures.to_json(figures.survival_curve(shape))},
            }

        return start_job("durability", options.runs, work, request)

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

    @app.delete(
        "/api/jobs/{job_id}",
        dependencies=secured,
        response_model=JobStatus,
        responses={404: {"model": ErrorResponse, "description": "No such job of this client's (or it finished long ago and was forgotten)."}},
        summary="Cancel a job: a queued one never starts, a running one stops at its next chunk of runs; a finished one is left as it is",
    )
    def cancel_job(job_id: str, request: Request) -> Response:
        job = jobs.cancel(job_id, client_of(request))
        if job is None:
            return problems_response(404, [("job_id", f"no job '{job_id[:64]}' of yours (finished jobs are kept for a while, then forgotten)")])
        return SafeJSONResponse(job.to_dict())

    @app.post(
        "/api/report",
        dependencies=secured,
        response_class=HTMLResponse,
        responses={**as_json({**EVERY_ROUTE, **ERRORS, **BUSY}), 200: {"content": {"text/html": {}}, "description": "The self-contained HTML report."}},
        summary="The self-contained HTML report (runs the analysis and the simulation; counts as a job while it runs)",
    )
    def report(options: RunBody, request: Request) -> Response:
        compile_checked(options.scenario, limits, prefix="scenario.")
        rounds = options.rounds or options.scenario.rounds
        check_runs(options.runs, rounds, limits, report=True)
        check_strategies(options.strategies, options.scenario)
        check_first_proposer(options.first_proposer, options.scenario)
        try:
            with jobs.slot(client_of(request)):
                text = render_report(
                    options.scenario, runs=options.runs, seed=options.seed, protocol=options.protocol,
                    strategies=options.strategies, rounds=options.rounds, first_proposer=options.first_proposer, source="sent to the truce web app (download it from the page; its SHA-256 is below)",
                )
        except Busy as error:
            return problems_response(429, [("", str(error))])
        except InputError as error:
            raise OverLimit([("", str(error))]) from None
        filename = f"{_slug(options.scenario.name)}-report.html"
        return HTMLResponse(text, headers={"Content-Disposition": f'attachment; filename="{filename}"', "Content-Security-Policy": REPORT_POLICY})
