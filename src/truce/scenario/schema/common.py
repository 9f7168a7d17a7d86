"""Field types, the base model and sources: what every part of the scenario format shares."""

from __future__ import annotations

import datetime
import re
from typing import Annotated

from pydantic import AfterValidator, AllowInfNan, BaseModel, ConfigDict, Field, Strict, StringConstraints

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


LINK_SCHEMES = frozenset({"http", "https"})
"""The schemes a source's ``url`` may have (or none: a relative address)."""
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def url_scheme(url: str) -> str | None:
    """The scheme a browser reads in ``url``, lower case, or None for a relative address.

    Browsers drop tabs and newlines anywhere in an address and control characters or spaces at its
    ends (WHATWG URL Standard, "basic URL parser"), so ``" java\tscript:"`` is ``javascript:``."""
    cleaned = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21))))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def is_safe_link(url: str) -> bool:
    """True when ``url`` may be a link's target: http(s) or relative, never ``javascript:`` or ``data:``."""
    return url_scheme(url) in LINK_SCHEMES | {None}


def _link(url: str) -> str:
    scheme = url_scheme(url)
    if not is_safe_link(url):
        raise ValueError(f"found an address with the scheme '{scheme}:'; expected an http:// or https:// address (or a relative one)")
    return url


Link = Annotated[Text, AfterValidator(_link)]
"""An address a reader may follow: http(s) or relative."""


class Source(_Model):
    """A document the scenario's numbers come from; notes cite it by id."""

    id: Identifier
    title: Text
    url: Link | None = None
    date: datetime.date | None = Field(
        None, description="When the document was published (YYYY-MM-DD); a dated scenario rejects sources dated after it."
    )
    note: Text | None = None



def number_bounds(**bounds: float):
    """JSON Schema bounds on the number branch of an optional number (the checks give the error message;
    this lets an editor flag the value as it is typed)."""

    def extra(schema: dict) -> None:
        for branch in schema.get("anyOf", [schema]):
            if branch.get("type") == "number":
                branch.update(bounds)

    return extra
