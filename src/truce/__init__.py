"""truce: model, analyse, forecast and simulate mediated multi-party negotiations.

>>> import truce
>>> scenario = truce.load("two-issue-trade")
>>> problem = scenario.compile()
>>> problem.nash_point().terms
{'Border crossings': 'open', 'Border patrols': 'full'}

The public names are imported when first used (PEP 562), so that
``import truce`` and ``truce --help`` do not pay for numpy, pydantic and the
scenario schema before they are needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from truce.problem import Problem
    from truce.scenario import Scenario, ScenarioError, builtin_scenarios, load

__all__ = ["Problem", "Scenario", "ScenarioError", "__version__", "builtin_scenarios", "load"]

# public name -> the module that defines it
_HOMES = {
    "Problem": "truce.problem",
    "Scenario": "truce.scenario",
    "ScenarioError": "truce.scenario",
    "builtin_scenarios": "truce.scenario",
    "load": "truce.scenario",
}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("truce")
    except PackageNotFoundError:  # running from a source tree without installation
        return "0.0.0+source"


def __getattr__(name: str) -> object:
    if name == "__version__":
        value = _version()
    elif name in _HOMES:
        from importlib import import_module

        value = getattr(import_module(_HOMES[name]), name)
    else:
        raise AttributeError(f"module 'truce' has no attribute {name!r}")
    globals()[name] = value  # later look-ups find it without this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
