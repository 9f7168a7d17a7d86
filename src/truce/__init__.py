"""truce: model, analyse, forecast and simulate mediated multi-party negotiations.

>>> import truce
>>> scenario = truce.load("two-issue-trade")
>>> problem = scenario.compile()
>>> problem.nash_point().terms
{'Border crossings': 'open', 'Border patrols': 'full'}
"""

from importlib.metadata import PackageNotFoundError, version

from truce.problem import Problem
from truce.scenario import Scenario, ScenarioError, builtin_scenarios, load

try:
    __version__ = version("truce")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+source"

__all__ = ["Problem", "Scenario", "ScenarioError", "__version__", "builtin_scenarios", "load"]
