"""GeniusWeb JSON: linear additive profiles (each with its domain inline) and domain files.

A profile is ``{"LinearAdditiveUtilitySpace": {...}}`` (``"LinearAdditive"`` in older files) with
``domain`` (``name``, ``issuesValues``: per issue ``{"values": [...]}`` or
``{"range": {"low", "high", "step"}}``), ``issueUtilities`` (per issue
``{"DiscreteValueSetUtilities": {"valueUtilities": {value: utility}}}`` or
``{"NumberValueSetUtilities": {"lowValue", "lowUtility", "highValue", "highUtility"}}``, or the short
keys ``discreteutils`` / ``numberutils``), ``issueWeights``, ``name`` and an optional
``reservationBid`` (``{"issuevalues": {issue: value}}``). Semantics follow GeniusWeb's
geniusweb.profile.utilityspace: utilities are in [0, 1] as given (no rescaling); a number issue's
utility is linear from (lowValue, lowUtility) to (highValue, highUtility) and 0 outside; weights
sum to 1; a reservation bid becomes a reservation value equal to its utility. A session settings file
among them gives the deadline (:mod:`truce.interchange.geniusweb_settings`).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from truce.interchange.common import (
    InterchangeError,
    Report,
    candidate_files,
    exact_text,
    finite_number,
    read_text,
    unique_ids,
)
from truce.interchange.geniusweb_settings import Deadline, deadline_rounds, is_settings, read_deadline

SPACE_KEYS = ("LinearAdditiveUtilitySpace", "LinearAdditive")
DISCRETE_KEYS = ("DiscreteValueSetUtilities", "discreteutils")
NUMBER_KEYS = ("NumberValueSetUtilities", "numberutils")
WEIGHT_SUM_TOLERANCE = 1e-6
DOMAIN_FILE = "domain.json"


def _refuse_constant(name: str):
    raise ValueError(f"the constant {name}")


def _no_duplicates(pairs):
    keys = [key for key, _ in pairs]
    repeated = next((key for key in keys if keys.count(key) > 1), None)
    if repeated is not None:
        raise ValueError(f"the key '{repeated}' twice in one object")
    return dict(pairs)


def parse_json(path: Path):
    text = read_text(path, "GeniusWeb JSON file")
    try:
        return json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as error:
        raise InterchangeError(path, f"line {error.lineno}, column {error.colno}", f"invalid JSON ({error.msg})", "well-formed JSON") from None
    except RecursionError:
        raise InterchangeError(path, "", "JSON nested too deeply", "a GeniusWeb profile or domain (a few levels deep)") from None
    except ValueError as error:
        raise InterchangeError(path, "", str(error), "finite numbers and distinct keys (JSON has no NaN or Infinity)") from None


def _object(path: Path, value, where: str, expected: str) -> dict:
    if not isinstance(value, dict):
        raise InterchangeError(path, where, type(value).__name__ if value is not None else "nothing", expected)
    return value


def _one_of(path: Path, holder: dict, keys: tuple[str, ...], where: str):
    for key in keys:
        if key in holder:
            return key, holder[key]
    return None, None


def read_domain(path: Path, domain, where: str = "domain") -> tuple[str, list[dict]]:
    """The domain's name and its issues: {name, kind: discrete|number, values | low, high, step}."""
    domain = _object(path, domain, where, "an object with name and issuesValues")
    issues_values = _object(path, domain.get("issuesValues"), f"{where}.issuesValues", "an object: issue -> {values: [...]} or {range: {low, high, step}}")
    if not issues_values:
        raise InterchangeError(path, f"{where}.issuesValues", "no issue", "at least one issue")
    issues = []
    for name, value_set in issues_values.items():
        spot = f"{where}.issuesValues.{name}"
        value_set = _object(path, value_set, spot, "{values: [...]} or {range: {low, high, step}}")
        if "values" in value_set:
            values = value_set["values"]
            if not isinstance(values, list) or len(values) < 2 or not all(isinstance(v, str) and v.strip() for v in values):
                raise InterchangeError(path, f"{spot}.values", json.dumps(values)[:60], "a list of at least two non-empty strings")
            if len(set(values)) != len(values):
                raise InterchangeError(path, f"{spot}.values", "a value listed twice", "distinct values")
            issues.append({"name": name, "kind": "discrete", "values": values})
        elif "range" in value_set:
            bounds = _object(path, value_set["range"], f"{spot}.range", "{low, high, step}")
            low, high, step = (finite_number(path, f"{spot}.range.{key}", bounds.get(key)) for key in ("low", "high", "step"))
            if not low < high or step <= 0:
                raise InterchangeError(path, f"{spot}.range", f"low {low:g}, high {high:g}, step {step:g}", "low < high and step > 0")
            issues.append({"name": name, "kind": "number", "low": low, "high": high, "step": step})
        else:
            raise InterchangeError(path, spot, f"keys {sorted(value_set)}", "values (a discrete issue) or range (a number issue)")
    name = domain.get("name")
    return (name if isinstance(name, str) and name.strip() else path.stem), issues


def grid(issue: dict) -> np.ndarray:
    """The issue's values as truce's numeric grid has them: low, low + step, ..., and high."""
    count = int(np.floor((issue["high"] - issue["low"]) / issue["step"] + 1e-9))
    points = issue["low"] + issue["step"] * np.arange(count + 1)
    return points if abs(points[-1] - issue["high"]) <= 1e-9 * max(1.0, abs(issue["high"])) else np.append(points, issue["high"])


def _utility(path: Path, value, where: str) -> float:
    utility = finite_number(path, where, value, "a utility in [0, 1]")
    if not 0 <= utility <= 1:
        raise InterchangeError(path, where, exact_text(utility), "a utility in [0, 1] (GeniusWeb's value utilities)")
    return utility


def read_profile(path: Path, data, issues: list[dict] | None) -> dict:
    """A profile: {name, domain, issues, values (per issue, per option), weights, reservation}."""
    data = _object(path, data, "", "a GeniusWeb profile, an object with the key LinearAdditiveUtilitySpace")
    key, space = _one_of(path, data, SPACE_KEYS, "")
    if key is None:
        raise InterchangeError(path, "", f"the key(s) {', '.join(sorted(data)) or 'none'}", "LinearAdditiveUtilitySpace or LinearAdditive (the only GeniusWeb profiles truce reads)")
    space = _object(path, space, key, "an object with domain, issueUtilities, issueWeights")
    domain_name, own = read_domain(path, space["domain"], f"{key}.domain") if "domain" in space else (None, None)
    if issues is None:
        if own is None:
            raise InterchangeError(path, f"{key}.domain", "nothing", "the profile's domain (or a domain file beside it)")
        issues = own
    elif own is not None and own != issues:
        raise InterchangeError(path, f"{key}.domain", "issues or values different from the domain's", "the same domain as the other profiles")
    utilities = _object(path, space.get("issueUtilities"), f"{key}.issueUtilities", "an object: issue -> utilities")
    weights = _object(path, space.get("issueWeights"), f"{key}.issueWeights", "an object: issue -> weight")
    values, profile_weights = [], []
    for issue in issues:
        name = issue["name"]
        spot = f"{key}.issueUtilities.{name}"
        holder = _object(path, utilities.get(name), spot, "the utilities of every issue of the domain")
        kind_key, table = _one_of(path, holder, DISCRETE_KEYS + NUMBER_KEYS, spot)
        if issue["kind"] == "discrete":
            if kind_key not in DISCRETE_KEYS:
                raise InterchangeError(path, spot, f"{kind_key or 'no utilities'}", "DiscreteValueSetUtilities (or discreteutils) for a discrete issue")
            table = _object(path, _object(path, table, f"{spot}.{kind_key}", "{valueUtilities: {...}}").get("valueUtilities"), f"{spot}.{kind_key}.valueUtilities", "value -> utility")
            missing = [v for v in issue["values"] if v not in table]
            if missing:
                raise InterchangeError(path, f"{spot}.{kind_key}.valueUtilities", f"no utility for '{missing[0]}'", "a utility for every value of the domain")
            values.append([_utility(path, table[v], f"{spot}.{kind_key}.valueUtilities.{v}") for v in issue["values"]])
        else:
            if kind_key not in NUMBER_KEYS:
                raise InterchangeError(path, spot, f"{kind_key or 'no utilities'}", "NumberValueSetUtilities (or numberutils) for a number issue")
            table = _object(path, table, f"{spot}.{kind_key}", "{lowValue, lowUtility, highValue, highUtility}")
            low, high = (finite_number(path, f"{spot}.{kind_key}.{k}", table.get(k)) for k in ("lowValue", "highValue"))
            if not low < high:
                raise InterchangeError(path, f"{spot}.{kind_key}", f"lowValue {low:g}, highValue {high:g}", "lowValue < highValue")
            if (low, high) != (issue["low"], issue["high"]):  # GeniusWeb's isFitting
                raise InterchangeError(path, f"{spot}.{kind_key}", f"lowValue {low:g}, highValue {high:g}", f"the range of the domain's issue, {issue['low']:g} to {issue['high']:g}")
            low_u, high_u = (_utility(path, table.get(k), f"{spot}.{kind_key}.{k}") for k in ("lowUtility", "highUtility"))
            points = grid(issue)
            line = [float(u) for u in low_u + (high_u - low_u) * (points - low) / (high - low)]
            line[0], line[-1] = low_u, high_u  # the end points as written, not recomputed
            values.append(line)
        weight = finite_number(path, f"{key}.issueWeights.{name}", weights.get(name), "a weight in [0, 1] for every issue")
        if not 0 <= weight <= 1:
            raise InterchangeError(path, f"{key}.issueWeights.{name}", exact_text(weight), "a weight in [0, 1]")
        profile_weights.append(weight)
    total = sum(profile_weights)
    if abs(total - 1) > WEIGHT_SUM_TOLERANCE:
        raise InterchangeError(path, f"{key}.issueWeights", f"weights summing to {total:.9g}", "weights summing to 1 (GeniusWeb's linear additive space)")
    reservation = 0.0
    if space.get("reservationBid") is not None:
        reservation = _bid_utility(path, space["reservationBid"], issues, values, profile_weights, f"{key}.reservationBid")
    name = space.get("name")
    return {
        "name": name if isinstance(name, str) and name.strip() else path.stem,
        "domain": domain_name, "issues": issues, "values": values, "weights": profile_weights, "reservation": reservation,
    }


def _bid_utility(path: Path, bid, issues, values, weights, where: str) -> float:
    chosen = _object(path, _object(path, bid, where, "{issuevalues: {...}}").get("issuevalues"), f"{where}.issuevalues", "issue -> value")
    total = 0.0
    for issue, table, weight in zip(issues, values, weights):
        if issue["name"] not in chosen:
            continue  # GeniusWeb: an issue the bid leaves open adds nothing
        value = chosen[issue["name"]]
        spot = f"{where}.issuevalues.{issue['name']}"
        if issue["kind"] == "discrete":
            if value not in issue["values"]:
                raise InterchangeError(path, spot, json.dumps(value)[:60], f"one of {', '.join(issue['values'])}")
            total += weight * table[issue["values"].index(value)]
        else:
            number = finite_number(path, spot, value, f"a number in [{issue['low']:g}, {issue['high']:g}]")
            points = grid(issue)
            matches = np.flatnonzero(np.isclose(points, number, rtol=0, atol=1e-9))
            if not len(matches):
                raise InterchangeError(path, spot, exact_text(number), "a value of the issue's range (low + k step)")
            total += weight * table[int(matches[0])]
    if total >= 1:
        raise InterchangeError(path, where, f"a bid worth {total:g}", "a reservation bid worth less than 1 (truce's no-deal value is below the best deal)")
    return total


def is_profile(data) -> bool:
    return isinstance(data, dict) and any(key in data for key in SPACE_KEYS)


def find_files(paths: list[Path]) -> tuple[Path | None, list[Path], Deadline | None]:
    """The domain file (if any), the profiles and the deadline of a settings file (if any) among the files
    given (a folder's, a profile's and its folder's, or several files), told apart by content."""
    folder, files = candidate_files(paths, ".json")
    domains, profiles, others, deadlines = [], [], [], []
    for file in files:
        data = parse_json(file)
        if is_profile(data):
            profiles.append(file)
        elif is_settings(data):
            deadlines.append(read_deadline(file, data))
        elif isinstance(data, dict) and "issuesValues" in data:
            domains.append(file)
        else:
            keys = ", ".join(sorted(data)) if isinstance(data, dict) else type(data).__name__
            others.append(f"{file.name} (top level: {keys[:60] or 'empty'})")
    if len(domains) > 1:
        raise InterchangeError(folder, "", f"{len(domains)} domain files ({', '.join(p.name for p in domains)})", "at most one GeniusWeb domain file")
    if len(profiles) < 2:
        skipped = f", and files that are neither a profile nor a domain: {'; '.join(others)}" if others else ""
        raise InterchangeError(folder, "", f"{len(profiles)} profile(s){skipped}", "at least two GeniusWeb profiles (JSON files with LinearAdditiveUtilitySpace), one per party")
    if len(deadlines) > 1:
        raise InterchangeError(folder, "", f"{len(deadlines)} settings files ({', '.join(d.path.name for d in deadlines)})", "at most one GeniusWeb settings file")
    return (domains[0] if domains else None), profiles, (deadlines[0] if deadlines else None)


def read(paths: list[Path], rounds: int | None, default_rounds: int) -> tuple[dict, Report]:
    """GeniusWeb profiles (and their domain and settings) as scenario data, and what the import approximated.
    ``rounds``: the user's deadline, else the settings' round limit, else ``default_rounds``."""
    domain_file, profile_files, deadline = find_files(paths)
    name, issues = read_domain(domain_file, parse_json(domain_file)) if domain_file else (None, None)
    profiles = []
    for file in profile_files:
        profile = read_profile(file, parse_json(file), issues)
        issues = profile["issues"]
        name = name or profile["domain"]
        profiles.append(profile)
    report = Report(f"Imported from GeniusWeb ({len(profiles)} profiles{' and ' + domain_file.name if domain_file else ''})")
    rounds = deadline_rounds(deadline, rounds, default_rounds, report)
    issue_ids = unique_ids([issue["name"] for issue in issues], "issue")
    scenario_issues = []
    for issue, issue_id in zip(issues, issue_ids):
        entry: dict = {"id": issue_id, "name": issue["name"]}
        if issue["kind"] == "discrete":
            entry.update(kind="categorical", options=list(issue["values"]))
        else:
            entry.update(kind="numeric", range=[issue["low"], issue["high"]], step=issue["step"])
            points = grid(issue)
            if abs(points[-1] - points[-2] - issue["step"]) > 1e-9 * max(1.0, abs(issue["step"])):
                report.add(f"issue '{issue['name']}': its range is not a whole number of steps; truce's grid adds the upper bound {issue['high']:g}")
        scenario_issues.append(entry)
    actors = []
    for profile, actor_id in zip(profiles, unique_ids([p["name"] for p in profiles], "party")):
        actor: dict = {"id": actor_id, "name": profile["name"], "role": "party"}
        if profile["reservation"]:
            actor["reservation"] = profile["reservation"]
        actor["stances"] = {
            issue_id: _stance(issue, values, weight)
            for issue, issue_id, values, weight in zip(issues, issue_ids, profile["values"], profile["weights"])
        }
        actors.append(actor)
    data = {
        "truce": 1,
        "name": name or "GeniusWeb domain",
        "description": "Imported from GeniusWeb profiles by truce import.",
        "kind": "negotiation",
        "rounds": rounds,
        "actors": actors,
        "issues": scenario_issues,
    }
    return data, report


def _stance(issue: dict, values: list[float], weight: float) -> dict:
    best = int(np.argmax(values))
    if issue["kind"] == "discrete":
        return {"position": issue["values"][best], "salience": weight, "values": dict(zip(issue["values"], values))}
    points = grid(issue)
    # linear from (low, lowUtility) to (high, highUtility): the two end points say it exactly
    return {"position": float(points[best]), "salience": weight, "values": [[float(points[0]), values[0]], [float(points[-1]), values[-1]]]}
