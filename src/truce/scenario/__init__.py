"""Layer 1: the user's description of a negotiation, and its file format."""

from truce.scenario.distributions import Distribution, nominal
from truce.scenario.loading import ScenarioError, builtin_scenarios, load, load_file, parse, validate
from truce.scenario.schema import (
    Actor,
    CategoricalIssue,
    NumericIssue,
    OrderedIssue,
    Scenario,
    Source,
    Stance,
)

__all__ = [
    "Actor",
    "CategoricalIssue",
    "Distribution",
    "NumericIssue",
    "OrderedIssue",
    "Scenario",
    "ScenarioError",
    "Source",
    "Stance",
    "builtin_scenarios",
    "load",
    "load_file",
    "nominal",
    "parse",
    "validate",
]
