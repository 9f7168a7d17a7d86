"""Spatial bargaining forecasts over actors' positions, salience and capability.

Pure functions of arrays (see each module for its source):

- :func:`weighted_mean`, :func:`weighted_median`: static compromises;
- :func:`smp`: KTAB's Spatial Model of Politics (FORECAST.md section A);
- :func:`expected_utility`: Bueno de Mesquita's expected-utility model in
  the Scholz, Calbert & Smith (2011) variant (FORECAST.md section B);
- :func:`read_ktab_csv`, :func:`read_expected_utility_csv`: the reference
  input formats, to arrays on the internal scale.

``MODELS`` registers the dynamic models with their metadata, so that
front ends can list them and tests can check them all at once.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from truce.forecast.compromise import validate_spatial_inputs, weighted_mean, weighted_median
from truce.forecast.expected_utility import expected_utility
from truce.forecast.readers import (
    ExpectedUtilityInput,
    KtabInput,
    read_expected_utility_csv,
    read_ktab_csv,
)
from truce.forecast.results import ForecastResult, ForecastTrace, Move
from truce.forecast.smp import options as _smp_options
from truce.forecast.smp import smp
from truce.forecast.smp.options import *  # noqa: F403 - the SMP's option types, listed once in its __all__

__all__ = [
    *_smp_options.__all__,
    "MODELS",
    "ExpectedUtilityInput",
    "ForecastModel",
    "ForecastResult",
    "ForecastTrace",
    "KtabInput",
    "Move",
    "expected_utility",
    "read_expected_utility_csv",
    "read_ktab_csv",
    "smp",
    "validate_spatial_inputs",
    "weighted_mean",
    "weighted_median",
]


@dataclass(frozen=True)
class ForecastModel:
    """A registered dynamic forecasting model and what it is.

    function: ``f(capability, positions, salience, **options) -> ForecastResult``.
    position_scale: the scale its positions must be on.
    stochastic: whether some option makes it random (then it takes ``seed``).
    knowledge: what each actor is assumed to know.
    """

    name: str
    function: Callable[..., ForecastResult]
    source: str
    position_scale: str
    stochastic: bool
    knowledge: str

    @property
    def defaults(self) -> dict[str, Any]:
        """The function's keyword options and their defaults."""
        return {
            name: parameter.default
            for name, parameter in inspect.signature(self.function).parameters.items()
            if parameter.kind is inspect.Parameter.KEYWORD_ONLY
        }


MODELS: dict[str, ForecastModel] = {
    "smp": ForecastModel(
        name="smp",
        function=smp,
        source=(
            "KTAB Spatial Model of Politics (Wise, Yaseen & Mohammadi, KAPSARC 2015; "
            "Abdollahian et al. 2006); FORECAST.md section A"
        ),
        position_scale="[0, 1] (KTAB's 0-100 divided by 100)",
        stochastic=True,
        knowledge=(
            "true positions, saliences and capabilities of all; others' risk attitudes estimated"
        ),
    ),
    "expected_utility": ForecastModel(
        name="expected_utility",
        function=expected_utility,
        source=(
            "Bueno de Mesquita's expected-utility model as replicated by Scholz, Calbert & "
            "Smith (2011); FORECAST.md section B"
        ),
        position_scale="any real scale, per dimension",
        stochastic=False,
        knowledge="true positions, saliences and capabilities of all; own risk exponent for others",
    ),
}
