"""Scenario discovery over a sweep's points: which ranges of the inputs give a result above (or below) a threshold.

The points are split into those *of interest* (``target > above``, or ``target < below``) and the
others; a box is a range on some of the inputs (the others left free), and it is judged by

- coverage: the share of all points of interest that lie in the box;
- density: the share of the box's points that are of interest;
- mass: the share of all points that lie in the box

(Bryant & Lempert 2010). Two methods, each through a maintained library:

- ``prim``: the Patient Rule Induction Method (Friedman & Fisher 1999), as the EMA Workbench
  implements it (``ema_workbench.analysis.prim``; Kwakkel 2017): starting from the box of every
  point, it peels off, one input's edge at a time, the slice (``peel_alpha`` of the points) whose
  removal raises the density most, down to ``mass_min`` of the points, then pastes back what
  still raises it. Each box on that peeling trajectory trades coverage against density; the box
  chosen is the one of highest coverage among those whose density reaches ``density``. With
  ``boxes`` above 1, the next box is sought among the points outside the earlier ones (PRIM's
  covering), until none reaches ``density``;
- ``tree``: a classification tree (CART, Breiman et al. 1984; scikit-learn's
  ``DecisionTreeClassifier``) of at most ``depth`` levels: every leaf whose points are mostly of
  interest is a box, its ranges the splits on the way to it.

Coverage, density and mass are counted here, on every point, from each box's ranges (so a later
PRIM box is judged on all points, not only on those the earlier boxes left). An input of whole
numbers or true/false (read as 0/1) is a number; an input of text (an option's name) is a set of
values for PRIM and is refused by the tree.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from truce.errors import InputError

METHODS = ("prim", "tree")


@dataclass(frozen=True)
class Limit:
    """One input's range in a box: ``low``/``high`` (None: free on that side), or ``values`` for text."""

    input: str
    low: float | None = None
    high: float | None = None
    values: tuple[str, ...] | None = None

    def words(self) -> str:
        if self.values is not None:
            return f"{self.input} in {{{', '.join(self.values)}}}"
        if self.low is not None and self.low == self.high:
            return f"{self.input} = {self.low:.4g}"
        if self.low is not None and self.high is not None:
            return f"{self.low:.4g} <= {self.input} <= {self.high:.4g}"
        return f"{self.input} >= {self.low:.4g}" if self.low is not None else f"{self.input} <= {self.high:.4g}"

    def holds(self, column: pd.Series) -> np.ndarray:
        if self.values is not None:
            return column.astype(str).isin(self.values).to_numpy()
        inside = np.ones(len(column), dtype=bool)
        values = column.to_numpy(dtype=float)
        if self.low is not None:
            inside &= values >= self.low
        if self.high is not None:
            inside &= values <= self.high
        return inside

    def to_dict(self) -> dict:
        return {"input": self.input, "low": self.low, "high": self.high, "values": None if self.values is None else list(self.values)}


@dataclass(frozen=True)
class Box:
    limits: tuple[Limit, ...]
    points: int
    of_interest: int
    coverage: float
    density: float
    mass: float

    def words(self) -> str:
        return " and ".join(limit.words() for limit in self.limits) or "every point (no input restricted)"

    def to_dict(self) -> dict:
        return {"limits": [limit.to_dict() for limit in self.limits], "rule": self.words(), "points": self.points,
                "of_interest": self.of_interest, "coverage": self.coverage, "density": self.density, "mass": self.mass}


@dataclass(frozen=True, eq=False)
class Discovery:
    """The boxes found, with what they were sought for."""

    method: str
    target: str
    rule: str
    """What makes a point of interest, e.g. ``p_deal > 0.5``."""
    inputs: tuple[str, ...]
    points: int
    of_interest: int
    boxes: list[Box]
    trajectory: pd.DataFrame | None = field(default=None, repr=False)
    """PRIM: the first box's peeling trajectory (coverage, density, mass, restricted inputs), and ``chosen``."""

    def to_frame(self) -> pd.DataFrame:
        """One row per box and restricted input."""
        rows = [{"box": b + 1, "coverage": box.coverage, "density": box.density, "mass": box.mass, **limit.to_dict()}
                for b, box in enumerate(self.boxes) for limit in box.limits]
        return pd.DataFrame(rows, columns=["box", "coverage", "density", "mass", "input", "low", "high", "values"])

    def to_dict(self) -> dict:
        return {"method": self.method, "target": self.target, "of_interest_rule": self.rule, "inputs": list(self.inputs),
                "points": self.points, "of_interest": self.of_interest, "boxes": [box.to_dict() for box in self.boxes]}


def of_interest(table: pd.DataFrame, target: str, above: float | None, below: float | None) -> tuple[np.ndarray, str]:
    """The points whose ``target`` is above ``above`` (or below ``below``); an empty value is of no interest."""
    if target not in table.columns:
        numbers = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c])]
        raise InputError(f"--target: found {target!r}, which is not a column of the points; expected one of: {', '.join(numbers)}")
    if not pd.api.types.is_numeric_dtype(table[target]) or pd.api.types.is_bool_dtype(table[target]):
        raise InputError(f"--target: found {target!r}, a column of {table[target].dtype}; expected a column of numbers")
    if (above is None) == (below is None):
        raise InputError("--above/--below: found " + ("both" if above is not None else "neither") + "; expected exactly one threshold")
    values = table[target].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        chosen = values > above if above is not None else values < below
    return chosen & ~np.isnan(values), f"{target} > {above:g}" if above is not None else f"{target} < {below:g}"


def judged(x: pd.DataFrame, y: np.ndarray, limits: list[Limit]) -> Box:
    """A box's coverage, density and mass counted on every point."""
    inside = np.ones(len(x), dtype=bool)
    for limit in limits:
        inside &= limit.holds(x[limit.input])
    points, hits = int(inside.sum()), int((inside & y).sum())
    return Box(limits=tuple(limits), points=points, of_interest=hits, coverage=hits / max(1, int(y.sum())),
               density=hits / points if points else 0.0, mass=points / len(x))


def restricted(x: pd.DataFrame, lows: dict, highs: dict, sets: dict) -> list[Limit]:
    """The inputs a box actually narrows (a side at the data's own edge is free), snapped to its points (:func:`snapped`)."""
    limits = []
    for column in x.columns:
        if column in sets:
            every = sorted(set(x[column].astype(str)))
            kept = tuple(sorted(str(v) for v in sets[column]))
            if len(kept) < len(every):
                limits.append(Limit(column, values=kept))
            continue
        data = x[column].to_numpy(dtype=float)
        low, high = lows.get(column), highs.get(column)
        low = None if low is None or low <= data.min() else float(low)
        high = None if high is None or high >= data.max() else float(high)
        if low is not None or high is not None:
            limits.append(Limit(column, low=low, high=high))
    return snapped(x, limits)


def snapped(x: pd.DataFrame, limits: list[Limit]) -> list[Limit]:
    """Each numeric side moved in to the extent of the box's own points: the same points, ranges the data takes."""
    inside = np.ones(len(x), dtype=bool)
    for limit in limits:
        inside &= limit.holds(x[limit.input])
    if not inside.any():
        return limits
    moved = []
    for limit in limits:
        if limit.values is not None:
            moved.append(limit)
            continue
        data = x[limit.input].to_numpy(dtype=float)[inside]
        moved.append(Limit(limit.input, low=None if limit.low is None else float(data.min()), high=None if limit.high is None else float(data.max())))
    return moved


def prim_boxes(x: pd.DataFrame, y: np.ndarray, *, density: float = 0.8, boxes: int = 1, peel_alpha: float = 0.05,
               mass_min: float = 0.05) -> tuple[list[list[Limit]], pd.DataFrame]:
    """PRIM's boxes (see the module docstring) and the first box's peeling trajectory."""
    import logging

    with warnings.catch_warnings():  # the workbench warns at import about optional parallel back-ends it does not need here
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim

    logging.getLogger("EMA").setLevel(logging.WARNING)
    finder = prim.Prim(x.reset_index(drop=True), y, threshold=density, peel_alpha=peel_alpha, mass_min=mass_min)
    found, trajectory = [], None
    for _ in range(boxes):
        box = finder.find_box()
        if box is None:
            break
        track = box.peeling_trajectory
        good = track.index[track["density"] >= density]
        if len(good) == 0:
            break
        best = max(good, key=lambda i: (track.loc[i, "coverage"], track.loc[i, "density"], -track.loc[i, "res_dim"]))
        box.select(int(best))
        if trajectory is None:
            trajectory = track[["coverage", "density", "mass", "res_dim"]].assign(chosen=track.index == best)
        lims = box.box_lims[int(best)]
        lows, highs, sets = {}, {}, {}
        for column in x.columns:
            if pd.api.types.is_numeric_dtype(x[column]):
                lows[column], highs[column] = lims[column].iloc[0], lims[column].iloc[1]
            else:
                sets[column] = lims[column].iloc[0]
        limits = restricted(x, lows, highs, sets)
        if not limits:
            break  # the whole space: nothing left to discover
        found.append(limits)
    return found, trajectory


def tree_boxes(x: pd.DataFrame, y: np.ndarray, *, depth: int = 3, min_leaf: float = 0.05) -> list[list[Limit]]:
    """The leaves of a classification tree that are mostly of interest, as boxes (see the module docstring)."""
    from sklearn.tree import DecisionTreeClassifier

    text = [c for c in x.columns if not pd.api.types.is_numeric_dtype(x[c])]
    if text:
        raise InputError(f"--method tree: found inputs of text ({', '.join(text)}); expected numbers or true/false (--method prim takes text)")
    values = x.to_numpy(dtype=float)
    model = DecisionTreeClassifier(max_depth=depth, min_samples_leaf=max(1, int(np.ceil(min_leaf * len(x)))), random_state=0)
    model.fit(values, y)
    tree = model.tree_
    found = []

    def walk(node: int, lows: dict, highs: dict) -> None:
        if tree.children_left[node] == -1:
            counts = tree.value[node][0]
            classes = list(model.classes_)
            if True in classes and counts[classes.index(True)] > counts.sum() / 2:
                found.append(restricted(x, lows, highs, {}))
            return
        column, split = x.columns[tree.feature[node]], tree.threshold[node]
        below = values[:, tree.feature[node]] <= split
        # each side's bound is a value the data takes, so that the box's inclusive ranges hold exactly the leaf's points
        walk(tree.children_left[node], lows, {**highs, column: min(highs.get(column, np.inf), values[below, tree.feature[node]].max())})
        walk(tree.children_right[node], {**lows, column: max(lows.get(column, -np.inf), values[~below, tree.feature[node]].min())}, highs)

    walk(0, {}, {})
    return found


def discover(table: pd.DataFrame, inputs: list[str], target: str, *, above: float | None = None, below: float | None = None,
             method: str = "prim", density: float = 0.8, boxes: int = 1, depth: int = 3, peel_alpha: float = 0.05,
             mass_min: float = 0.05) -> Discovery:
    """The boxes of ``inputs`` where ``target`` is above ``above`` (or below ``below``), by ``method``."""
    if method not in METHODS:
        raise InputError(f"--method: found {method!r}; expected one of {', '.join(METHODS)}")
    missing = [c for c in inputs if c not in table.columns]
    if missing:
        raise InputError(f"--inputs: found {', '.join(map(repr, missing))}, not columns of the points; expected some of: {', '.join(map(str, table.columns))}")
    if not inputs:
        raise InputError("--inputs: found none; expected the sweep's parameters (columns of the points)")
    y, rule = of_interest(table, target, above, below)
    x = table[inputs].copy()
    for column in inputs:
        if pd.api.types.is_bool_dtype(x[column]):
            x[column] = x[column].astype(int)
        elif not pd.api.types.is_numeric_dtype(x[column]):
            x[column] = x[column].astype(str).astype("category")
    trajectory = None
    if y.sum() == 0 or y.all():
        found = []  # nothing to tell apart
    elif method == "prim":
        found, trajectory = prim_boxes(x, y, density=density, boxes=boxes, peel_alpha=peel_alpha, mass_min=mass_min)
    else:
        found = tree_boxes(x, y, depth=depth, min_leaf=mass_min)
    judged_boxes = [judged(x, y, limits) for limits in found]
    if method == "tree":
        judged_boxes.sort(key=lambda box: (-box.coverage, -box.density))
    return Discovery(method=method, target=target, rule=rule, inputs=tuple(inputs), points=len(table), of_interest=int(y.sum()),
                     boxes=judged_boxes, trajectory=trajectory)


def read_points(source: str | Path, inputs: list[str] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """A sweep's points and its parameters' columns: from a sweep folder (its points.parquet and manifest),
    or a points file (CSV or Parquet, with ``inputs`` named)."""
    from truce.sweep.folder import SweepFolder

    path = Path(source)
    if path.is_dir():
        manifest = SweepFolder(path).manifest()
        table_path = path / "points.parquet"
        if manifest is None or not table_path.is_file():
            raise InputError(f"{path}: no finished sweep there (no sweep.json or points.parquet); expected the --out folder of a finished `truce sweep`")
        columns = [p.get("name") or p["path"] for p in manifest.get("sweep", {}).get("parameters", [])]
        return pd.read_parquet(table_path), inputs or columns
    if not path.is_file():
        raise InputError(f"{path}: no such folder or file; expected a sweep's --out folder, or its points.csv / points.parquet")
    try:
        table = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
    except Exception as error:  # pyarrow's and pandas' parse errors
        raise InputError(f"{path}: cannot read it as {'Parquet' if path.suffix == '.parquet' else 'CSV'} ({str(error).splitlines()[0][:200]}); expected a sweep's points table") from None
    if not inputs:
        raise InputError(f"{path}: a points file does not say which columns are the inputs; expected --inputs COLUMN,COLUMN (or the sweep's folder)")
    return table, inputs
