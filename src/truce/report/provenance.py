"""What is needed to reproduce a report: the input's digest, the options, the command and the versions."""

from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from typing import Mapping

from truce.scenario import Scenario


@dataclass(frozen=True)
class Provenance:
    """What is needed to reproduce the report: the input, the options, the seed and the versions."""

    scenario_source: str
    scenario_digest: str
    """SHA-256 of the scenario's canonical JSON (the same scenario gives the same digest whatever its layout)."""
    options: Mapping[str, str]
    command: str
    versions: Mapping[str, str] = field(default_factory=lambda: package_versions())
    generated: str = field(default_factory=lambda: datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))


def package_versions() -> dict[str, str]:
    """Versions of truce, Python and the numerical libraries the numbers depend on."""
    found = {"truce": _version("truce"), "python": platform.python_version()}
    for name in ("numpy", "scipy", "pandas", "pydantic", "plotly"):
        found[name] = _version(name)
    from truce.report.plotly_bundle import VERSION

    found["plotly.js"] = f"{VERSION} (basic bundle, embedded)"
    return found


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed" if name != "truce" else "0.0.0+source"


def scenario_digest(scenario: Scenario) -> str:
    canonical = json.dumps(scenario.model_dump(mode="json", exclude_none=True), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
