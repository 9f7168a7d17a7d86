"""Sweeps: a scenario's fields varied over a design of points, each point's runs split into tasks
played on this machine's cores or a Dask cluster, every task committed on its own so a killed
sweep resumes where it stopped (issue 15). See docs/explanation/sweeps.md."""

from truce.sweep.results import SweepResult
from truce.sweep.run import Plan, plan, run, sweep
from truce.sweep.spec import Sweep, SweepError

__all__ = ["Plan", "Sweep", "SweepError", "SweepResult", "plan", "run", "sweep"]
