"""Case files: what actually happened, for scoring truce against it.

A case file (YAML or JSON) lists *cases*. Each names a scenario (a built-in
name, or a path relative to the case file) as of a date, and what followed:
whether a deal was signed and when, the agreed term on every issue (an
option name, a number for a numeric issue, or ``deferred`` where the issue
allows deferral), and how long the ceasefire held and how it ended
(``breakdown``; ``expiry`` of a fixed term; ``holding`` when it was still in
force on the last date known, right-censored). Every fact cites a source of
the file's ``sources`` list (title, url, date).

:func:`load_cases` validates the file with pydantic (errors name the file
and the path inside it, e.g. ``cases[2].terms.aid``), then loads every
scenario and checks the case against it: known issues and options, a term
for every issue, the as-of date on or after the scenario's date, the deal
on or after the as-of date, the end on or after the deal.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml
from pydantic import Field, ValidationError, model_validator

from truce.backtest.terms import term_index
from truce.problem import Problem
from truce.scenario import Scenario, ScenarioError, load
from truce.errors import ProblemsError
from truce.scenario.loading import _limits, check_shape, read_yaml
from truce.scenario.messages import describe
from truce.scenario.schema.common import Findings, Identifier, Number, Source, Text, _Model

ENDINGS = ("breakdown", "expiry", "holding")
_BUILTIN_CASES = "truce.backtest.cases"
"""The package holding the shipped case files."""


class CaseFileError(ProblemsError):
    """A case file that cannot be used: ``problems`` holds (path inside the file, what is wrong)."""

    what = "case file"


class Term(_Model):
    """One issue's agreed term."""

    agreed: Text | Number = Field(description="The option name, a number (numeric issue) or 'deferred'.")
    source: Identifier = Field(description="Id of the source that reports it.")
    note: Text | None = None


class Deal(_Model):
    """Whether a deal came, and when."""

    signed: bool
    date: datetime.date | None = Field(None, description="The day the deal was announced or signed (required when signed).")
    effective: datetime.date | None = Field(None, description="The day it took effect, if later (durability counts from it).")
    source: Identifier
    note: Text | None = None

    @model_validator(mode="after")
    def _dated(self) -> "Deal":
        if self.signed and self.date is None:
            raise ValueError("a signed deal needs its date (YYYY-MM-DD)")
        if self.effective is not None and self.date is not None and self.effective < self.date:
            raise ValueError(f"effective {self.effective} is before date {self.date}; expected the day it took effect, on or after the signature")
        return self


class Held(_Model):
    """How long the ceasefire held and how it ended."""

    ended: Literal[ENDINGS] = Field(description="breakdown, expiry (its fixed term ran out) or holding (still in force: right-censored).")
    date: datetime.date = Field(description="The day it ended, or (holding) the last day it was known to hold.")
    source: Identifier
    note: Text | None = None


class Case(_Model):
    """One negotiation, as of a date, and what followed."""

    id: Identifier
    name: Text
    scenario: Text = Field(description="A built-in scenario name or a path relative to the case file.")
    as_of: datetime.date | None = Field(None, description="The date of the prediction (default: the scenario's date).")
    deal: Deal
    terms: dict[Identifier, Term] = Field(default_factory=dict, description="Issue id -> the agreed term (signed deals only).")
    held: Held | None = Field(None, description="How long it held (signed ceasefires only).")
    note: Text | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "Case":
        if not self.deal.signed and (self.terms or self.held is not None):
            raise ValueError("terms and held describe a signed deal; expected neither when deal.signed is false")
        if self.deal.signed and not self.terms:
            raise ValueError("a signed deal needs its terms (issue id -> agreed)")
        return self


class CaseFile(_Model):
    """A list of cases with the sources of their facts."""

    truce_cases: Literal[1] = Field(1, description="Format version.")
    name: Text
    description: Text = ""
    sources: list[Source] = Field(default_factory=list)
    cases: list[Case] = Field(min_length=1, max_length=1000)

    @model_validator(mode="after")
    def _references(self) -> "CaseFile":
        known = {source.id for source in self.sources}
        findings = []
        seen = set()
        for i, case in enumerate(self.cases):
            if case.id in seen:
                findings.append((f"cases[{i}].id", f"found '{case.id}' twice; expected unique case ids"))
            seen.add(case.id)
            cited = [("deal.source", case.deal.source)] + [(f"terms.{issue}.source", term.source) for issue, term in case.terms.items()]
            if case.held is not None:
                cited.append(("held.source", case.held.source))
            for where, source in cited:
                if source not in known:
                    findings.append((f"cases[{i}].{where}", f"found '{source}'; expected a source id of `sources` ({', '.join(sorted(known)) or 'none listed'})"))
        if findings:
            raise Findings(findings)
        return self


@dataclass(frozen=True, eq=False)
class ResolvedCase:
    """A case checked against its scenario: the compiled problem and the real package as option indices."""

    case: Case
    scenario: Scenario
    problem: Problem
    as_of: datetime.date
    package: np.ndarray | None
    """(n_issues,) option indices of the agreed package; None without a deal."""
    real_values: dict[str, str | float]
    """Issue id -> the agreed term as written (a number for numeric issues)."""
    held_days: float | None
    """Days from the deal taking effect to its end (or the last day known to hold)."""
    broke_down: bool | None
    """Whether the end is a breakdown (False: expiry or still holding, both right-censored)."""


def builtin_case_files() -> dict[str, str]:
    """The shipped case files: name -> title."""
    found = {}
    for entry in sorted(resources.files(_BUILTIN_CASES).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            found[entry.name.removesuffix(".yaml")] = str(read_yaml(entry.read_text(encoding="utf-8")).get("name", ""))
    return found


def read_case_file(name_or_path: str | Path) -> tuple[CaseFile, str, Path | None]:
    """Parse and validate a case file (or a shipped one by name): the file, its label and its folder."""
    text = str(name_or_path)
    shipped = resources.files(_BUILTIN_CASES) / f"{text}.yaml"
    if "/" not in text and not text.endswith((".yaml", ".yml", ".json")) and shipped.is_file():
        return parse_cases(shipped.read_text(encoding="utf-8"), f"built-in case file '{text}'"), f"built-in case file '{text}'", None
    path = Path(name_or_path)
    limits = _limits()
    if not path.is_file():
        known = ", ".join(builtin_case_files())
        what = "is not a regular file" if path.exists() else "no such file, and no built-in case file of that name"
        raise CaseFileError(str(path), (("", f"{what}; expected a YAML or JSON case file or one of: {known}"),))
    if path.stat().st_size > limits.max_file_bytes:
        raise CaseFileError(str(path), (("", f"is {path.stat().st_size:,} bytes; expected at most {limits.max_file_bytes:,}"),))
    try:
        content = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise CaseFileError(str(path), (("", f"cannot read ({error}); expected a readable UTF-8 case file"),)) from None
    return parse_cases(content, str(path)), str(path), path.resolve().parent


def parse_cases(text: str, source: str = "<cases>") -> CaseFile:
    """Validate case-file text (YAML, which includes JSON)."""
    try:
        data = read_yaml(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise CaseFileError(source, ((where, f"invalid YAML: {getattr(error, 'problem', None) or error}"),)) from None
    except (RecursionError, ValueError) as error:
        raise CaseFileError(source, (("", f"cannot read ({type(error).__name__}); expected plain YAML"),)) from None
    if not isinstance(data, dict):
        raise CaseFileError(source, (("", "found no mapping; expected a mapping with name, sources and cases"),))
    shape = check_shape(data, _limits())
    if shape is not None:
        raise CaseFileError(source, (shape,))
    try:
        return CaseFile.model_validate(data)
    except ValidationError as error:
        raise CaseFileError(source, tuple(describe(error, data))) from None


def load_cases(name_or_path: str | Path) -> tuple[CaseFile, str, list[ResolvedCase]]:
    """Read a case file and check every case against its scenario; raises :class:`CaseFileError`."""
    cases, label, folder = read_case_file(name_or_path)
    problems: list[tuple[str, str]] = []
    loaded: dict[str, tuple[Scenario, Problem] | None] = {}
    resolved = []
    for i, case in enumerate(cases.cases):
        where = f"cases[{i}]"
        if case.scenario not in loaded:
            loaded[case.scenario] = _load_scenario(case.scenario, folder, f"{where}.scenario", problems)
        if loaded[case.scenario] is None:
            continue
        scenario, problem = loaded[case.scenario]
        found = _resolve(case, scenario, problem, where, problems)
        if found is not None:
            resolved.append(found)
    if problems:
        raise CaseFileError(label, tuple(problems))
    return cases, label, resolved


def _load_scenario(name: str, folder: Path | None, where: str, problems: list) -> tuple[Scenario, Problem] | None:
    from truce.scenario import builtin_scenarios

    builtin = "/" not in name and "\\" not in name and not name.endswith((".yaml", ".yml", ".json"))
    if builtin and name in builtin_scenarios():
        target: str | Path = name
    elif builtin and folder is None:
        problems.append((where, f"found '{name}'; expected a built-in scenario ({', '.join(builtin_scenarios())})"))
        return None
    else:
        target = (folder or Path.cwd()) / name
        if not target.is_file():
            problems.append((where, f"found '{name}': no such file ({target}); expected a built-in scenario or a path relative to the case file"))
            return None
    try:
        scenario = load(target)
    except ScenarioError as error:
        problems.append((where, f"the scenario cannot be used: {error}"))
        return None
    return scenario, scenario.compile()


def _resolve(case: Case, scenario: Scenario, problem: Problem, where: str, problems: list) -> ResolvedCase | None:
    before = len(problems)
    as_of = case.as_of or scenario.date
    if as_of is None:
        problems.append((f"{where}.as_of", "missing, and the scenario has no date; expected the date of the prediction (YYYY-MM-DD)"))
    elif scenario.date is not None and as_of < scenario.date:
        problems.append((f"{where}.as_of", f"found {as_of}, before the scenario's date {scenario.date}; expected a date on or after it"))
    deal = case.deal
    if as_of is not None and deal.date is not None and deal.date < as_of:
        problems.append((f"{where}.deal.date", f"found {deal.date}, before the as-of date {as_of}; expected the deal on or after the date of the prediction"))
    package = None
    values: dict[str, str | float] = {}
    if deal.signed:
        for issue in case.terms:
            if issue not in problem.issue_ids:
                problems.append((f"{where}.terms.{issue}", f"unknown issue; expected one of {', '.join(problem.issue_ids)}"))
        missing = [issue for issue in problem.issue_ids if issue not in case.terms]
        if missing:
            problems.append((f"{where}.terms", f"no term for issue(s) {', '.join(missing)}; expected one for every issue of the scenario (deferred where it allows)"))
        indices = []
        for issue in problem.issue_ids:
            if issue not in case.terms:
                continue
            agreed = case.terms[issue].agreed
            try:
                indices.append(term_index(problem, issue, agreed))
            except ValueError as error:
                problems.append((f"{where}.terms.{issue}.agreed", str(error).split(": ", 1)[-1]))
            values[issue] = agreed
        if len(indices) == problem.n_issues:
            package = np.array(indices, dtype=np.int64)
    held_days = broke_down = None
    if case.held is not None:
        start = deal.effective or deal.date
        if start is not None and case.held.date < start:
            problems.append((f"{where}.held.date", f"found {case.held.date}, before the deal took effect ({start}); expected its end on or after it"))
        elif start is not None:
            held_days = float((case.held.date - start).days)
            broke_down = case.held.ended == "breakdown"
    if len(problems) > before:
        return None
    return ResolvedCase(case, scenario, problem, as_of, package, values, held_days, broke_down)


def dump_cases(cases: CaseFile) -> str:
    """The case file as YAML (dates as YYYY-MM-DD), which :func:`parse_cases` reads back to an equal file."""
    data: Any = cases.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    return yaml.safe_dump({"truce_cases": 1, **data}, sort_keys=False, allow_unicode=True)
