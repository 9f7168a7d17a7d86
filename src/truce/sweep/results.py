"""The points' figures, from the tasks' sums added up in task order.

At each point: P(deal) with its Wilson 95% interval (Wilson 1927); among deals, the mean round of
agreement (counted from 1) and each party's mean utility, each with a normal 95% interval from the
sums and sums of squares (mean +- 1.96 sd / sqrt(deals)); the shares that walked away and broke
down; with the durability analysis P(a deal still in force after ``hold_days``) and its Wilson
interval; with phases, P(every phase signed). Sums are added in task order, so the figures are the
same numbers whatever the executor, the number of workers and the order tasks finished in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

Z95 = 1.959963984540054
TIMINGS = ("seconds", "cpu_seconds")
"""A task row's timings (wall and CPU time of the task where it ran): in no figure."""
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")


def _wilson(successes: np.ndarray, runs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from truce.analysis.zopa import wilson_interval

    bounds = [wilson_interval(int(k), int(n)) for k, n in zip(successes, runs)]
    return np.array([b[0] for b in bounds], dtype=float), np.array([b[1] for b in bounds], dtype=float)


def _mean_interval(sums: np.ndarray, squares: np.ndarray, count: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, sums / count, np.nan)
        variance = np.where(count > 1, (squares - count * mean**2) / (count - 1), np.nan)
        half = Z95 * np.sqrt(np.maximum(variance, 0.0) / count)
    return mean, mean - half, mean + half


def point_table(rows: pd.DataFrame, points: list[dict], columns: list[str]) -> pd.DataFrame:
    """One row per point: its parameter values, then its figures (see the module docstring)."""
    summed = rows.drop(columns=list(TIMINGS) + ["seed", "chunk", "task"], errors="ignore").groupby("point", sort=True).sum(min_count=1)
    tasks = rows.groupby("point", sort=True).size()
    table = pd.DataFrame({"point": summed.index.astype(int)})
    for column in columns:
        table[column] = [points[i][column] for i in table["point"]]
    runs, deals = summed["runs"].to_numpy(), summed["deals"].to_numpy()
    table["tasks"] = tasks.to_numpy()
    table["runs"] = runs
    table["p_deal"] = deals / runs
    table["p_deal_low"], table["p_deal_high"] = _wilson(deals, runs)
    mean, low, high = _mean_interval(summed["rounds_sum"].to_numpy(), summed["rounds_squares"].to_numpy(), deals)
    table["rounds_mean"], table["rounds_low"], table["rounds_high"] = mean, low, high
    for party in [c.split(":", 1)[1] for c in summed.columns if c.startswith("utility_sum:")]:
        mean, low, high = _mean_interval(summed[f"utility_sum:{party}"].to_numpy(), summed[f"utility_squares:{party}"].to_numpy(), deals)
        table[f"utility:{party}"], table[f"utility_low:{party}"], table[f"utility_high:{party}"] = mean, low, high
    table["p_walked_away"] = summed["walked_away"].to_numpy() / runs
    table["p_broke_down"] = summed["broke_down"].to_numpy() / runs
    if (rows["lasting"] >= 0).all():
        lasting = summed["lasting"].to_numpy()
        table["p_lasting"] = lasting / runs
        table["p_lasting_low"], table["p_lasting_high"] = _wilson(lasting, runs)
    if (rows["final_phase"] >= 0).all():
        table["p_final_phase"] = summed["final_phase"].to_numpy() / runs
    return table


@dataclass(frozen=True, eq=False)
class SweepResult:
    """A finished sweep: the points' table, the parameters' columns, the folder and the timings."""

    points: pd.DataFrame
    columns: list[str]
    folder: Path | None
    tasks: int
    played: int
    """Tasks played by this command (the others were committed by an earlier one, under --resume)."""
    seconds: float
    analysis: str = "simulate"
    task_cpu_seconds: float = 0.0
    """CPU time of the tasks this command played, each measured where it ran (its worker)."""

    def to_frame(self) -> pd.DataFrame:
        return self.points

    def to_dict(self) -> dict:
        return {
            "folder": None if self.folder is None else str(self.folder),
            "analysis": self.analysis,
            "tasks": self.tasks,
            "played": self.played,
            "seconds": self.seconds,
            "task_cpu_seconds": self.task_cpu_seconds,
            "parameters": self.columns,
            "points": self.points.replace({np.nan: None}).to_dict(orient="records"),
        }


def plotted(table: pd.DataFrame) -> tuple[list[tuple[str, str | None, str | None]], str]:
    """The figures a sweep's plot shows, each with its interval's columns (None: no interval), and the axis title."""
    if "p_deal" in table.columns:
        shown = [("p_deal", "p_deal_low", "p_deal_high")]
        if "p_lasting" in table.columns:
            shown.append(("p_lasting", "p_lasting_low", "p_lasting_high"))
        return shown, "probability"
    if "brier" in table.columns:
        return [("brier", None, None), ("discrimination_auc", None, None)], "back-test score (Brier: lower is better; AUC: higher)"
    return [(column, None, None) for column in table.columns if column.startswith("forecast:")], "forecast (issue's units)"


def figure(result: SweepResult):
    """Each figure (P(deal) with its 95% interval, P(lasting deal); or where each issue settles) against each parameter, one panel per parameter."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    columns = result.columns
    table = result.points
    shown, axis = plotted(table)
    fig = make_subplots(rows=1, cols=len(columns), shared_yaxes=True, subplot_titles=columns)
    for k, column in enumerate(columns, start=1):
        x = table[column]
        for number, (measure, low, high) in enumerate(shown):
            error = None if low is None else dict(type="data", symmetric=False, array=table[high] - table[measure], arrayminus=table[measure] - table[low])
            fig.add_trace(
                go.Scatter(
                    x=x, y=table[measure], mode="markers", name=measure, showlegend=len(shown) > 1 and k == 1, legendgroup=measure,
                    marker=dict(color=COLOURS[number % len(COLOURS)]), error_y=error, customdata=table["point"],
                    hovertemplate="point %{customdata}<br>" + column + " %{x}<br>" + measure + " %{y:.4g}<extra></extra>",
                ),
                row=1, col=k,
            )
        fig.update_xaxes(title_text=column, row=1, col=k)
    if axis == "probability":
        fig.update_yaxes(title_text="P(deal)" if len(shown) == 1 else axis, tickformat=".0%", range=[0, 1], row=1, col=1)
        title = f"{' and '.join(m for m, _, _ in shown)} at {len(table):,} points (95% intervals)"
    else:
        fig.update_yaxes(title_text=axis, row=1, col=1)
        title = f"{'The back-test scores' if 'brier' in table.columns else 'Where each issue settles'} at {len(table):,} points"
    fig.update_layout(title=title, template="plotly_white", height=420)
    return fig
