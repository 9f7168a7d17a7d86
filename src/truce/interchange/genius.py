"""GENIUS XML: a domain file and one profile (additive utility space) per party.

The format is GENIUS's own (Lin et al. 2014; the ANAC domains are written in it). A domain file
lists the issues under ``negotiation_template/utility_space/objective``; a profile repeats them with
an evaluation per value, adds ``<weight index=".." value=".."/>`` per issue and, optionally,
``<reservation value=".."/>`` and ``<discount_factor value=".."/>``. Utilities follow GENIUS's
evaluators (genius.core.utility):

- discrete issue: ``evaluation / max evaluation of the issue`` (EvaluatorDiscrete.normalize; 0 for
  every value when that maximum is below 1e-5). The item with the highest evaluation is worth 1.
- integer issue: ``clip(offset + slope (x - lowerbound), 0, 1)`` (EvaluatorInteger), not rescaled.
- real issue (EvaluatorReal), on a grid of :data:`REAL_STEPS` steps (truce's engines are discrete:
  reported as an approximation): ftype ``linear`` ``clip(parameter1 x + parameter0, 0, 1)``;
  ``triangular`` 0 outside [parameter0, parameter1], rising linearly to 1 at the top parameter2 and
  falling back to 0 at parameter1 (EVALFUNCTYPE.evalTriangular); ``constant`` parameter0 everywhere.
- utility: ``sum over issues of weight x evaluation``; the weights must sum to 1. Issues may sit in
  nested objectives; an objective's own weight is ignored, as GENIUS's AdditiveUtilitySpace.getUtility
  ignores it (each issue counts with its own weight), and the import says so.

A GENIUS discount factor d discounts a deal reached at normalised time t in [0, 1] to
``U d^t`` (and the reservation value to ``r d^t``). truce discounts per round: an imported party
gets ``discount = d^(1 / rounds)``, so a deal at the deadline is worth ``d`` times as much, as in
GENIUS; the export writes ``d = discount^rounds``. truce does not discount the no-deal value
(docs/explanation/interchange.md says what that changes).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from truce.interchange.common import (
    InterchangeError,
    Report,
    candidate_files,
    finite_number,
    number_text,
    read_bytes,
    unique_ids,
)

REAL_STEPS = 10
"""A GENIUS real issue becomes a numeric issue on this many steps of its range."""
WEIGHT_SUM_TOLERANCE = 1e-6
"""How far a profile's weights may sum from 1 (rounding of written decimals)."""
ZERO_MAXIMUM = 1e-5
"""GENIUS values every item 0 when the issue's highest evaluation is below this (EvaluatorDiscrete.normalize)."""
KINDS = ("discrete", "integer", "real")


@dataclass
class GeniusIssue:
    index: str
    name: str
    kind: str
    options: list[str] = field(default_factory=list)
    low: float = 0.0
    high: float = 0.0
    description: str = ""


def parse_xml(path: Path) -> ElementTree.Element:
    """The file's root element, parsed without entity expansion, external entities or DTD fetching."""
    content = read_bytes(path, "GENIUS XML file")
    try:
        return fromstring(content)
    except DefusedXmlException as error:
        raise InterchangeError(path, "", f"a construct refused for safety ({type(error).__name__}: {error})", "plain XML without entity declarations or external references") from None
    except ElementTree.ParseError as error:
        raise InterchangeError(path, f"line {error.position[0]}, column {error.position[1] + 1}", f"malformed XML ({error})", "well-formed XML") from None


def is_profile(root: ElementTree.Element) -> bool:
    """A profile has weights or evaluations; a domain file has neither."""
    return root.find(".//weight") is not None or any("evaluation" in item.attrib for item in root.iter("item"))


def _attribute(path: Path, element: ElementTree.Element, name: str, where: str) -> str:
    value = element.get(name)
    if value is None or not value.strip():
        raise InterchangeError(path, where, f"no {name} attribute", f"<{element.tag} {name}=\"...\">")
    return value.strip()


def _issue_kind(element: ElementTree.Element) -> str:
    for name in ("etype", "type", "vtype"):
        kind = (element.get(name) or "").strip().lower()
        if kind in KINDS:
            return kind
    return (element.get("etype") or element.get("type") or "").strip().lower() or "(none)"


def _bounds(path: Path, element: ElementTree.Element, where: str) -> tuple[float, float]:
    holder = element if element.get("lowerbound") is not None else element.find("range")
    if holder is None:
        raise InterchangeError(path, where, "no lowerbound/upperbound", "lowerbound and upperbound attributes, or a <range> child with them")
    low = finite_number(path, f"{where}.lowerbound", holder.get("lowerbound"))
    high = finite_number(path, f"{where}.upperbound", holder.get("upperbound"))
    if not low < high:
        raise InterchangeError(path, f"{where}.upperbound", f"[{low:g}, {high:g}]", "lowerbound < upperbound")
    return low, high


def read_issues(path: Path, root: ElementTree.Element) -> list[GeniusIssue]:
    """The issues of a domain file (or of a profile, which repeats them), in file order."""
    issues: list[GeniusIssue] = []
    for number, element in enumerate(root.iter("issue"), 1):
        name = _attribute(path, element, "name", f"issue #{number}")
        where = f"issue '{name}'"
        index = _attribute(path, element, "index", where)
        kind = _issue_kind(element)
        issue = GeniusIssue(index, name, kind, description=(element.get("description") or "").strip())
        if kind == "discrete":
            issue.options = [_attribute(path, item, "value", f"{where}, item #{k}") for k, item in enumerate(element.iter("item"), 1)]
            if len(issue.options) < 2:
                raise InterchangeError(path, where, f"{len(issue.options)} item(s)", "at least two <item value=\"...\"> per discrete issue")
            repeated = sorted({option for option in issue.options if issue.options.count(option) > 1})
            if repeated:
                raise InterchangeError(path, where, f"the value '{repeated[0]}' twice", "every item's value different")
        elif kind in ("integer", "real"):
            issue.low, issue.high = _bounds(path, element, where)
            if kind == "integer" and not (issue.low.is_integer() and issue.high.is_integer()):
                raise InterchangeError(path, where, f"bounds [{issue.low:g}, {issue.high:g}]", "whole-number bounds on an integer issue")
        else:
            raise InterchangeError(path, f"{where}.etype", repr(kind), "discrete, integer or real")
        issues.append(issue)
    if not issues:
        raise InterchangeError(path, "objective", "no <issue> element", "at least one issue")
    indexes = [issue.index for issue in issues]
    for issue in issues:
        if indexes.count(issue.index) > 1:
            raise InterchangeError(path, f"issue '{issue.name}'.index", issue.index + " on two issues", "a different index per issue")
    return issues


@dataclass
class GeniusProfile:
    path: Path
    weights: dict[str, float]
    values: dict[str, list[float]]
    """Issue index -> the value of each option (discrete) or grid point (integer, real), in [0, 1]."""
    reservation: float
    discount: float
    tops: dict[str, float] = field(default_factory=dict)
    """Issue index -> the top of a real issue's triangular evaluator."""
    objective_weights: list[str] = field(default_factory=list)
    """Names of the nested objectives the profile weighs (GENIUS ignores these weights)."""


def grid(issue: GeniusIssue) -> np.ndarray:
    if issue.kind == "integer":
        return np.arange(issue.low, issue.high + 1)
    return np.linspace(issue.low, issue.high, REAL_STEPS + 1)


def _evaluations(path: Path, element: ElementTree.Element, issue: GeniusIssue, where: str) -> list[float]:
    items = {item.get("value", "").strip(): item for item in element.iter("item")}
    found = []
    for option in issue.options:
        item = items.get(option)
        if item is None or item.get("evaluation") is None:
            raise InterchangeError(path, where, f"no evaluation for the value '{option}'", "<item value=... evaluation=...> for every value of the domain's issue")
        value = finite_number(path, f"{where}, value '{option}'.evaluation", item.get("evaluation"), "a finite number >= 0")
        if value < 0:
            raise InterchangeError(path, f"{where}, value '{option}'.evaluation", number_text(value), "a number >= 0 (GENIUS evaluations are non-negative)")
        found.append(value)
    highest = max(found)
    # GENIUS's own normalisation: evaluation / the issue's highest evaluation (EvaluatorDiscrete.normalize)
    return [0.0] * len(found) if highest < ZERO_MAXIMUM else [value / highest for value in found]


def _linear(path: Path, element: ElementTree.Element, issue: GeniusIssue, where: str) -> list[float]:
    """The value of every grid point of an integer or real issue, by its evaluator (see the module docstring)."""
    evaluator = element.find("evaluator")
    if evaluator is None:  # GENIUS's evaluator then has slope and offset 0
        return [0.0] * len(grid(issue))
    kind = (evaluator.get("ftype") or "linear").strip().lower()
    kinds = ("linear",) if issue.kind == "integer" else REAL_FUNCTIONS
    if kind not in kinds:
        raise InterchangeError(path, f"{where}.evaluator.ftype", repr(kind), f"{' or '.join(kinds)} (the evaluators GENIUS reads for {issue.kind} issues)")
    points = grid(issue)
    parameter = lambda k: finite_number(path, f"{where}.evaluator.parameter{k}", evaluator.get(f"parameter{k}"))  # noqa: E731
    if issue.kind == "integer":
        slope = finite_number(path, f"{where}.evaluator.slope", evaluator.get("slope"))
        offset = finite_number(path, f"{where}.evaluator.offset", evaluator.get("offset"))
        line = offset + slope * (points - issue.low)
    elif kind == "linear":
        line = parameter(1) * points + parameter(0)
    elif kind == "constant":
        line = np.full(len(points), parameter(0))
        if not 0 <= line[0] <= 1:
            raise InterchangeError(path, f"{where}.evaluator.parameter0", number_text(line[0]), "a value in [0, 1]")
    else:
        line = triangle(points, parameter(0), parameter(1), parameter(2), path, where)
    return [float(value) for value in np.clip(line, 0.0, 1.0)]


REAL_FUNCTIONS = ("linear", "triangular", "constant")
"""The evaluators truce reads for a real issue (GENIUS's EVALFUNCTYPE less faratin and the variable top,
which its EvaluatorReal.loadFromXML does not read either)."""


def triangle(points: np.ndarray, low: float, high: float, top: float, path: Path, where: str) -> np.ndarray:
    """GENIUS's triangular evaluation: 0 below ``low`` and from ``high`` on, ``(x - low) / (top - low)``
    up to the top and ``1 - (x - top) / (high - top)`` after it."""
    if not low <= top <= high or low == high:
        raise InterchangeError(path, f"{where}.evaluator", f"parameter0 {number_text(low)}, parameter1 {number_text(high)}, parameter2 {number_text(top)}",
                               "a triangle from parameter0 to parameter1 with its top parameter2 between them (parameter0 < parameter1)")
    rising = (points - low) / (top - low) if top > low else np.ones_like(points)
    falling = 1.0 - (points - top) / (high - top) if high > top else np.zeros_like(points)
    return np.where(points < low, 0.0, np.where(points < top, rising, np.where(points < high, falling, 0.0)))


def read_profile(path: Path, issues: list[GeniusIssue], root: ElementTree.Element | None = None) -> GeniusProfile:
    """A party's profile against the domain's issues (matched by index, as GENIUS does, then checked by name)."""
    root = parse_xml(path) if root is None else root
    by_index = {issue.index: issue for issue in issues}
    values: dict[str, list[float]] = {}
    tops: dict[str, float] = {}
    for element in root.iter("issue"):
        index = (element.get("index") or "").strip()
        issue = by_index.get(index)
        if issue is None:
            continue
        where = f"issue '{issue.name}' (index {index})"
        if (element.get("name") or "").strip() not in ("", issue.name):
            raise InterchangeError(path, f"{where}.name", repr(element.get("name")), f"'{issue.name}', the domain's issue of index {index}")
        values[index] = _evaluations(path, element, issue, where) if issue.kind == "discrete" else _linear(path, element, issue, where)
        evaluator = element.find("evaluator")
        if issue.kind == "real" and evaluator is not None and (evaluator.get("ftype") or "").strip().lower() == "triangular":
            tops[index] = float(evaluator.get("parameter2"))
    weights: dict[str, float] = {}
    objectives = {(element.get("index") or "").strip(): (element.get("name") or "").strip() for element in list(root.iter("objective"))[1:]}
    ignored = []
    for element in root.iter("weight"):
        index = (element.get("index") or "").strip()
        if index in objectives:  # GENIUS's AdditiveUtilitySpace.getUtility sums issue weights only
            ignored.append(objectives[index] or index)
        if index in by_index:
            weight = finite_number(path, f"weight index {index}.value", element.get("value"), "a weight in [0, 1]")
            if not 0 <= weight <= 1:
                raise InterchangeError(path, f"weight index {index}.value", number_text(weight), "a weight in [0, 1]")
            weights[index] = weight
    for issue in issues:
        if issue.index not in values:
            raise InterchangeError(path, "objective", f"no evaluation of issue '{issue.name}' (index {issue.index})", "every issue of the domain in the profile")
        if issue.index not in weights:
            raise InterchangeError(path, "objective", f"no <weight index=\"{issue.index}\"> (issue '{issue.name}')", "a weight for every issue of the domain")
    total = sum(weights.values())
    if abs(total - 1.0) > WEIGHT_SUM_TOLERANCE:
        raise InterchangeError(path, "weights", f"weights summing to {total:.9g}", "weights summing to 1 (GENIUS's additive utility space)")
    return GeniusProfile(path, weights, values, _single(path, root, "reservation", 0.0), _single(path, root, "discount_factor", 1.0), tops, ignored)


def _single(path: Path, root: ElementTree.Element, tag: str, default: float) -> float:
    element = root.find(f".//{tag}")
    if element is None:
        return default
    expected = "a reservation value in [0, 1)" if tag == "reservation" else "a discount factor in (0, 1]"
    value = finite_number(path, f"{tag}.value", element.get("value"), expected)
    if tag == "reservation" and not 0 <= value < 1:
        raise InterchangeError(path, f"{tag}.value", number_text(value), expected + " (truce's no-deal value is below the best deal)")
    if tag == "discount_factor" and not 0 <= value <= 1:
        raise InterchangeError(path, f"{tag}.value", number_text(value), expected + ", or 0 for none")
    return value


def find_files(paths: list[Path]) -> tuple[tuple[Path, ElementTree.Element], list[tuple[Path, ElementTree.Element]]]:
    """The domain file and the profiles among the files given (a folder's, a domain file's and its
    folder's, or several files), told apart by content, each with its parsed root."""
    folder, files = candidate_files(paths, ".xml")
    domains, profiles = [], []
    for file in files:
        root = parse_xml(file)
        (profiles if is_profile(root) else domains).append((file, root))
    if len(paths) == 1 and not paths[0].is_dir():
        domains = [entry for entry in domains if entry[0] == paths[0]] or domains
    if len(domains) != 1:
        found = ", ".join(p.name for p, _ in domains) or "none"
        raise InterchangeError(folder, "", f"{len(domains)} domain file(s) ({found})", "exactly one GENIUS domain file (an XML file without weights or evaluations)")
    if len(profiles) < 2:
        raise InterchangeError(folder, "", f"{len(profiles)} profile(s)", "at least two GENIUS profiles (XML files with <weight> elements), one per party")
    return domains[0], profiles


def read_folder(paths: list[Path], rounds: int) -> tuple[dict, Report]:
    """A GENIUS domain and its profiles as scenario data, and what the import approximated."""
    (domain_file, domain_root), profile_files = find_files(paths)
    issues = read_issues(domain_file, domain_root)
    profiles = [read_profile(file, issues, root) for file, root in profile_files]
    report = Report(f"Imported from GENIUS ({domain_file.name} and {len(profiles)} profiles)")
    issue_ids = unique_ids([issue.name for issue in issues], "issue")
    objective = domain_root.find(".//objective")
    name = (objective.get("name") if objective is not None else None) or domain_file.stem
    scenario_issues = []
    for issue, issue_id in zip(issues, issue_ids):
        entry: dict = {"id": issue_id, "name": issue.name}
        if issue.description:
            entry["description"] = issue.description
        if issue.kind == "discrete":
            entry.update(kind="categorical", options=list(issue.options))
        else:
            step = 1.0 if issue.kind == "integer" else (issue.high - issue.low) / REAL_STEPS
            entry.update(kind="numeric", range=[issue.low, issue.high], step=step)
            if issue.kind == "real":
                report.add(f"issue '{issue.name}': a real (continuous) issue, discretised into {REAL_STEPS} steps of {step:g}")
                for profile in profiles:
                    top = profile.tops.get(issue.index)
                    if top is not None and not np.isclose(grid(issue), top).any():
                        report.add(f"{profile.path.name}: issue '{issue.name}': the triangle's top {number_text(top)} falls between the grid's "
                                   f"points; its best grid point is worth {number_text(max(profile.values[issue.index]))}, not 1")
        scenario_issues.append(entry)
    for profile in profiles:
        if profile.objective_weights:
            report.add(f"{profile.path.name}: the weights of objective(s) {', '.join(profile.objective_weights)} are ignored, as GENIUS's "
                       "AdditiveUtilitySpace.getUtility ignores them (each issue counts with its own weight wherever it sits in the tree)")
    actors = []
    for profile, actor_id in zip(profiles, unique_ids([p.path.stem for p in profiles], "party")):
        actor: dict = {"id": actor_id, "name": profile.path.stem, "role": "party"}
        if profile.reservation:
            actor["reservation"] = profile.reservation
        if profile.discount == 0:  # GENIUS (UtilitySpace) and the ANAC agents read a factor of 0 as no discounting
            report.add(f"{profile.path.name}: discount factor 0, which GENIUS reads as no discounting")
        elif profile.discount < 1:
            actor["discount"] = profile.discount ** (1.0 / rounds)
            report.add(
                f"{profile.path.name}: discount factor {number_text(profile.discount)} over normalised time becomes "
                f"{number_text(actor['discount'])} per round over {rounds} rounds; truce does not discount the no-deal value as GENIUS does"
            )
        actor["stances"] = {
            issue_id: _stance(issue, profile.values[issue.index], profile.weights[issue.index]) for issue, issue_id in zip(issues, issue_ids)
        }
        actors.append(actor)
    data = {
        "truce": 1,
        "name": name,
        "description": f"Imported from the GENIUS domain {domain_file.name} by truce import.",
        "kind": "negotiation",
        "rounds": rounds,
        "actors": actors,
        "issues": scenario_issues,
    }
    return data, report


def _stance(issue: GeniusIssue, values: list[float], weight: float) -> dict:
    best = int(np.argmax(values))
    if issue.kind == "discrete":
        return {"position": issue.options[best], "salience": weight, "values": dict(zip(issue.options, values))}
    points = grid(issue)
    return {"position": float(points[best]), "salience": weight, "values": _breakpoints(points, values)}


def _breakpoints(points: np.ndarray, values: list[float]) -> list[list[float]]:
    """Piecewise-linear [x, value] points that give ``values`` at every grid point: the ends and every
    grid point where the slope changes (where GENIUS's clipping to [0, 1] bends the line)."""
    kept = [0]
    for k in range(1, len(points) - 1):
        before = (values[k] - values[k - 1]) / (points[k] - points[k - 1])
        after = (values[k + 1] - values[k]) / (points[k + 1] - points[k])
        if not math.isclose(before, after, rel_tol=1e-12, abs_tol=1e-12):
            kept.append(k)
    kept.append(len(points) - 1)
    return [[float(points[k]), float(values[k])] for k in kept]
