"""Field types, the base model and sources: what every part of the scenario format shares."""

from __future__ import annotations

import datetime
from typing import Annotated

from pydantic import AllowInfNan, BaseModel, ConfigDict, Field, Strict, StringConstraints

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]+$", min_length=1, max_length=64)]
Number = Annotated[float, Strict(), AllowInfNan(False)]
"""A finite number: NaN and infinity are refused (every range check would pass NaN)."""
Text = Annotated[str, StringConstraints(max_length=20_000)]

MAX_OPTIONS_PER_ISSUE = 1001
"""A numeric issue's grid may hold at most this many points."""


class Findings(ValueError):
    """Cross-reference problems found in a scenario, each with its path in the file."""

    def __init__(self, findings: list[tuple[str, str]]):
        super().__init__("; ".join(f"{path}: {message}" for path, message in findings))
        self.findings = findings


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Source(_Model):
    """A document the scenario's numbers come from; notes cite it by id."""

    id: Identifier
    title: Text
    url: Text | None = None
    date: datetime.date | None = Field(
        None, description="When the document was published (YYYY-MM-DD); a dated scenario rejects sources dated after it."
    )
    note: Text | None = None

