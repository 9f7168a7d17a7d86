"""Ceasefire data: the derived tables truce ships, and loaders for your own downloads.

truce ships only what a licence allows: derived tables of the ETH/PRIO
Civil Conflict Ceasefire data (medians and quartiles by class, with their
citation; ``truce/data/ethprio_cf_class_durations.csv``). With your own
download of the CF data (https://css.ethz.ch/en/research/research-projects/ceasefires-mediation.html),
:func:`read_ceasefires` reads it and :func:`class_baselines` fits each
class's survival with censoring handled: a Kaplan-Meier curve (Kaplan &
Meier 1958) and a Weibull (maximum likelihood), both with ``lifelines``
(Davidson-Pilon 2019). A ceasefire coded as not ended is right-censored at
the end of the data; one with no end recorded and no end date is left out
(its fate is unknown) and counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from truce.errors import InputError

CLASS_NAMES = {1: "cessation", 2: "preliminary", 3: "definitive"}

FULL_COLUMNS = {
    "class": "ceasefire_class",
    "start": ("cf_effect_yr", "cf_effect_month", "cf_effect_day"),
    "end": ("end_yr", "end_month", "end_day"),
    "ended": "ended",
}
"""Column names of the CF download (override with ``columns=`` if your version differs)."""

SHORT_COLUMNS = {"class": "cls", "start": ("ey", "em", "ed"), "end": ("endy", "endm", "endd"), "ended": "ended"}
"""Column names of the abbreviated extract (e.g. an Israel/Palestine subset)."""

NOT_ENDED = 0
SAME_DAY = 0.5
"""A ceasefire that ends on the day it takes effect is given half a day (the Weibull needs t > 0)."""


def shipped_class_durations() -> pd.DataFrame:
    """The derived table truce ships: per class, counts, median and quartile days, source, censoring note."""
    with resources.files("truce.data").joinpath("ethprio_cf_class_durations.csv").open(encoding="utf-8") as stream:
        return pd.read_csv(stream)


def _dates(frame: pd.DataFrame, names: tuple[str, str, str]) -> pd.Series:
    parts = frame[list(names)].apply(pd.to_numeric, errors="coerce")
    parts = parts.where(parts > 0)
    return pd.to_datetime(dict(year=parts.iloc[:, 0], month=parts.iloc[:, 1], day=parts.iloc[:, 2]), errors="coerce")


def read_ceasefires(path: str | Path, *, columns: dict | None = None, data_end: str = "2020-12-31", encoding: str = "latin-1") -> pd.DataFrame:
    """One row per ceasefire (the first row of each ``cf_id`` when several actors declare it): class name,
    days held, and whether the end was observed. Raises ``ValueError`` naming a missing column."""
    frame = pd.read_csv(path, encoding=encoding)
    names = columns or (FULL_COLUMNS if FULL_COLUMNS["class"] in frame.columns else SHORT_COLUMNS)
    needed = [names["class"], names["ended"], *names["start"], *names["end"]]
    missing = [name for name in needed if name not in frame.columns]
    if missing:
        raise InputError(f"{path}: no column(s) {', '.join(missing)}; expected the CF columns {', '.join(needed)} (pass columns= to map yours)")
    keys = [key for key in ("cc", "cf_id") if key in frame.columns]
    if keys:
        frame = frame.drop_duplicates(keys)
    start, end = _dates(frame, names["start"]), _dates(frame, names["end"])
    ended = pd.to_numeric(frame[names["ended"]], errors="coerce")
    observed = end.notna()
    censored = ~observed & (ended == NOT_ENDED)
    stop = end.where(observed, pd.Timestamp(data_end))
    days = (stop - start).dt.days.astype(float)
    out = pd.DataFrame(
        {
            "ceasefire_class": pd.to_numeric(frame[names["class"]], errors="coerce").map(CLASS_NAMES),
            "days": np.maximum(days, SAME_DAY),
            "observed": observed,
            "usable": (observed | censored) & start.notna() & (days >= 0),
        }
    )
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class ClassBaseline:
    """One class's fitted survival: Kaplan-Meier median, Weibull median and shape, and what was left out."""

    ceasefire_class: str
    ceasefires: int
    ended: int
    censored: int
    unknown: int
    """Left out: no end recorded and not coded as ongoing."""
    kaplan_meier_median: float
    weibull_median: float
    weibull_shape: float


def class_baselines(ceasefires: pd.DataFrame) -> list[ClassBaseline]:
    """Per class, Kaplan-Meier and Weibull fits with right-censoring (lifelines)."""
    from lifelines import KaplanMeierFitter, WeibullFitter

    found = []
    for name in CLASS_NAMES.values():
        rows = ceasefires[ceasefires["ceasefire_class"] == name]
        usable = rows[rows["usable"]]
        if usable["observed"].sum() < 2:
            continue
        kaplan_meier = KaplanMeierFitter().fit(usable["days"], usable["observed"])
        weibull = WeibullFitter().fit(usable["days"], usable["observed"])
        found.append(
            ClassBaseline(
                ceasefire_class=name,
                ceasefires=len(rows),
                ended=int(usable["observed"].sum()),
                censored=int((~usable["observed"]).sum()),
                unknown=int((~rows["usable"]).sum()),
                kaplan_meier_median=float(kaplan_meier.median_survival_time_),
                weibull_median=float(weibull.lambda_ * np.log(2.0) ** (1.0 / weibull.rho_)),
                weibull_shape=float(weibull.rho_),
            )
        )
    return found
