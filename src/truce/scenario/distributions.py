"""Uncertain numbers: a plain number or a named distribution.

Any number in a scenario file may be written as a distribution instead,
for example ``reservation: {triangular: [0.25, 0.35, 0.45]}``. The
deterministic engines use the distribution's nominal value (the mode of a
triangular, the mean of a normal or a beta, the midpoint of a uniform);
the Monte Carlo engines draw samples, truncated to the field's valid
range.
"""

from __future__ import annotations

from typing import Annotated, Union

import numpy as np
from pydantic import AllowInfNan, BaseModel, ConfigDict, Discriminator, Tag, model_validator

KINDS = ("triangular", "uniform", "normal", "beta")


class Distribution(BaseModel):
    """Exactly one of ``triangular: [low, mode, high]``, ``uniform: [low, high]``,
    ``normal: [mean, sd]`` (truncated to the field's valid range) or
    ``beta: [a, b]`` (on [0, 1])."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    triangular: tuple[float, float, float] | None = None
    uniform: tuple[float, float] | None = None
    normal: tuple[float, float] | None = None
    beta: tuple[float, float] | None = None

    @model_validator(mode="after")
    def _one_kind_with_valid_parameters(self) -> "Distribution":
        given = [kind for kind in KINDS if getattr(self, kind) is not None]
        if len(given) != 1:
            raise ValueError(
                f"found {', '.join(given) if given else 'no kind'}; expected exactly one of {', '.join(KINDS)} "
                "(e.g. {triangular: [low, mode, high]})"
            )
        if self.triangular is not None:
            low, mode, high = self.triangular
            if not low <= mode <= high or low == high:
                raise ValueError(
                    f"found triangular {list(self.triangular)}; expected [low, mode, high] with low <= mode <= high and low < high"
                )
        if self.uniform is not None and not self.uniform[0] < self.uniform[1]:
            raise ValueError(f"found uniform {list(self.uniform)}; expected [low, high] with low < high")
        if self.normal is not None and not self.normal[1] > 0:
            raise ValueError(f"found normal {list(self.normal)}; expected [mean, sd] with sd > 0")
        if self.beta is not None and not min(self.beta) > 0:
            raise ValueError(f"found beta {list(self.beta)}; expected [a, b] with a > 0 and b > 0")
        return self

    @property
    def kind(self) -> str:
        return next(kind for kind in KINDS if getattr(self, kind) is not None)

    @property
    def parameters(self) -> tuple[float, ...]:
        return getattr(self, self.kind)

    @property
    def nominal(self) -> float:
        """The value deterministic engines use: mode, midpoint or mean."""
        p = self.parameters
        return {
            "triangular": lambda: p[1],
            "uniform": lambda: (p[0] + p[1]) / 2,
            "normal": lambda: p[0],
            "beta": lambda: p[0] / (p[0] + p[1]),
        }[self.kind]()

    @property
    def support(self) -> tuple[float, float]:
        """Where samples can fall before truncation to a field's range."""
        p = self.parameters
        if self.kind == "triangular":
            return p[0], p[2]
        if self.kind == "uniform":
            return p[0], p[1]
        if self.kind == "beta":
            return 0.0, 1.0
        return -np.inf, np.inf

    def sample(
        self, rng: np.random.Generator, size: int, bounds: tuple[float, float] = (-np.inf, np.inf)
    ) -> np.ndarray:
        """Draw ``size`` samples; a normal is truncated to ``bounds``."""
        return draw(self.kind, self.parameters, rng, size, bounds)

    def describe(self) -> str:
        return f"{self.kind}{list(self.parameters)}"


def draw(
    kind: str, parameters: tuple[float, ...], rng: np.random.Generator, size: int, bounds: tuple[float, float]
) -> np.ndarray:
    """Samples of a named distribution; a normal is truncated to ``bounds``, the others lie in their support."""
    p = parameters
    if kind == "triangular":
        return rng.triangular(p[0], p[1], p[2], size)
    if kind == "uniform":
        return rng.uniform(p[0], p[1], size)
    if kind == "beta":
        return rng.beta(p[0], p[1], size)
    if kind == "normal":  # by the inverse distribution function, one uniform a draw
        low, high = (bounds[0] - p[0]) / p[1], (bounds[1] - p[0]) / p[1]
        return p[0] + p[1] * truncated_normal_ppf(rng.uniform(size=size), low, high)
    raise ValueError(f"unknown distribution kind {kind!r}")


def quantile(
    kind: str, parameters: tuple[float, ...], q: np.ndarray, bounds: tuple[float, float]
) -> np.ndarray:
    """The inverse distribution function at probabilities ``q`` (a normal truncated to ``bounds``)."""
    from scipy import special  # here, not at import (scipy.stats, for the same, costs ~1 s of start-up)

    p = parameters
    q = np.asarray(q, dtype=float)
    if kind == "triangular":  # the closed form: F(x) = (x - a)^2 / ((b - a)(c - a)) up to the mode c
        mode = (p[1] - p[0]) / (p[2] - p[0])
        with np.errstate(invalid="ignore"):
            share = np.where(q < mode, np.sqrt(mode * q), 1.0 - np.sqrt((1.0 - mode) * (1.0 - q)))
        return p[0] + (p[2] - p[0]) * share
    if kind == "uniform":
        return p[0] + q * (p[1] - p[0])
    if kind == "beta":
        return special.betaincinv(p[0], p[1], q)
    if kind == "normal":
        low, high = (bounds[0] - p[0]) / p[1], (bounds[1] - p[0]) / p[1]
        return p[0] + p[1] * truncated_normal_ppf(q, low, high)
    raise ValueError(f"unknown distribution kind {kind!r}")


def truncated_normal_ppf(q: np.ndarray, low: float, high: float) -> np.ndarray:
    """The standard normal truncated to [low, high] (either may be infinite): its inverse distribution
    function at probabilities ``q``, in logarithms so that a tail far from the mean keeps its precision:
    Phi(x) = Phi(low) + q (Phi(high) - Phi(low)), solved in the left tail when ``low < 0``, else, by
    symmetry, in the right one (as scipy.stats.truncnorm does, which the tests compare it with)."""
    from scipy import special

    q = np.asarray(q, dtype=float)
    with np.errstate(divide="ignore"):
        if high <= 0 or low > 0:  # log(Phi(high) - Phi(low)) within one tail (the left, by symmetry)
            near, far = (high, low) if high <= 0 else (-low, -high)
            log_mass = special.log_ndtr(near) + np.log1p(-np.exp(special.log_ndtr(far) - special.log_ndtr(near)))
        else:
            log_mass = np.log1p(-special.ndtr(low) - special.ndtr(-high))
        if low < 0:
            x = special.ndtri_exp(np.logaddexp(special.log_ndtr(low), np.log(q) + log_mass))
        else:
            x = -special.ndtri_exp(np.logaddexp(special.log_ndtr(-high), np.log1p(-q) + log_mass))
    return np.clip(x, low, high)


def _number_or_distribution(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, (dict, Distribution)):
        return "distribution"
    return None


Uncertain = Annotated[
    Union[Annotated[float, AllowInfNan(False), Tag("number")], Annotated[Distribution, Tag("distribution")]],
    Discriminator(
        _number_or_distribution,
        custom_error_type="uncertain_number",
        custom_error_message="expected a number or a distribution such as {triangular: [low, mode, high]}",
    ),
]
"""A float or a :class:`Distribution`; the type of every uncertain scenario number."""

UNION_TAGS = frozenset({"number", "distribution"})
"""Tags the discriminated union adds to error locations; error messages drop them."""


def nominal(value: float | Distribution) -> float:
    """The deterministic value of an uncertain number."""
    return value.nominal if isinstance(value, Distribution) else float(value)


def in_words(value: float | Distribution) -> str:
    """A number, or a distribution with its most likely (nominal) value first, for tables and reports."""
    if not isinstance(value, Distribution):
        return f"{value:g}"
    p = value.parameters
    if value.kind == "triangular":
        return f"{p[1]:g} (triangular: {p[0]:g} to {p[2]:g})"
    if value.kind == "uniform":
        return f"{value.nominal:g} (uniform: {p[0]:g} to {p[1]:g})"
    if value.kind == "normal":
        return f"{p[0]:g} (normal: sd {p[1]:g})"
    return f"{value.nominal:.3g} (beta: a {p[0]:g}, b {p[1]:g})"


def check_within(value: float | Distribution, low: float, high: float, *, high_open: bool = False) -> str | None:
    """Say what is wrong if ``value`` (or its distribution) can leave [low, high].

    A normal is truncated to the range, so only its mean must lie inside;
    the other kinds must have their whole support inside.
    """
    closing = ")" if high_open else "]"
    expected = f"within [{low:g}, {high:g}{closing}"

    def outside(x: float) -> bool:
        return x < low or x > high or (high_open and x >= high)

    if not isinstance(value, Distribution):
        return f"found {value:g}; expected a value {expected}" if outside(value) else None
    if value.kind == "normal":
        mean = value.parameters[0]
        return f"found normal mean {mean:g}; expected a mean {expected}" if outside(mean) else None
    support_low, support_high = value.support
    if outside(support_low) or outside(support_high):
        return f"found {value.describe()}, which ranges over [{support_low:g}, {support_high:g}]; expected a distribution {expected}"
    return None
