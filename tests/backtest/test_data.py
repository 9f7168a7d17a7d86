"""The shipped derived table and the censored fits for a user's own CF download."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from truce.backtest.data import class_baselines, read_ceasefires, shipped_class_durations
from truce.scenario import defaults


def test_shipped_table_is_what_the_defaults_use():
    table = shipped_class_durations().set_index("ceasefire_class")
    for name, (count, ended, median, p25, p75) in defaults.CLASS_DURATIONS.items():
        assert tuple(table.loc[name, ["ceasefires", "with_recorded_end", "median_days", "p25_days", "p75_days"]]) == (count, ended, median, p25, p75)
        assert "Clayton" in table.loc[name, "source"]


def test_weibull_fit_recovers_a_known_curve_under_censoring(tmp_path):
    """Weibull(shape 0.5, median 40) durations starting over 1,000 days; those still running at the data's
    end are coded not ended (censored): the fits recover the median and the shape."""
    rng = np.random.default_rng(5)
    n = 3000
    scale = 40 / np.log(2) ** 2.0
    days = np.ceil(scale * rng.exponential(1.0, n) ** 2.0)
    data_end = pd.Timestamp("2020-12-31")
    start = data_end - pd.to_timedelta(np.ceil(rng.uniform(1, 1000, n)), unit="D")
    end = start + pd.to_timedelta(days, unit="D")
    censor = np.asarray(end > data_end)
    frame = pd.DataFrame(
        {
            "cls": 1,
            "ey": start.year, "em": start.month, "ed": start.day,
            "endy": np.where(censor, -1, end.year), "endm": np.where(censor, -1, end.month), "endd": np.where(censor, -1, end.day),
            "ended": np.where(censor, 0, 2),
        }
    )
    path = tmp_path / "cf.csv"
    frame.to_csv(path, index=False)
    (fit,) = class_baselines(read_ceasefires(path, data_end="2020-12-31"))
    assert fit.censored == int(censor.sum()) > 100 and fit.unknown == 0
    assert fit.weibull_shape == pytest.approx(0.5, rel=0.1)
    assert fit.kaplan_meier_median == pytest.approx(40, rel=0.15)
    assert fit.weibull_median == pytest.approx(40, rel=0.15)


def test_missing_columns_are_named(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="no column"):
        read_ceasefires(path)
