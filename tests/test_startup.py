"""Start-up stays light: ``import truce`` and the CLI's import load none of the heavy libraries.

Each check runs in a fresh interpreter (this test process has long imported
everything) and reads ``sys.modules`` there; no timing.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("scipy", "pandas", "plotly", "lifelines", "SALib", "spacy", "duckdb", "pyarrow", "dask", "distributed", "numba", "llvmlite")


def loaded_among(code: str, names: tuple[str, ...]) -> list[str]:
    """Which of ``names`` (full module names) are in sys.modules after running ``code`` in a new interpreter."""
    probe = code + f"\nimport json, sys\nprint(json.dumps(sorted(m for m in {names!r} if m in sys.modules)))"
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(completed.stdout.splitlines()[-1])


def modules_after(code: str) -> set[str]:
    """The top-level package names in sys.modules after running ``code`` in a new interpreter."""
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))"
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(completed.stdout.splitlines()[-1]))


@pytest.mark.parametrize("code", ["import truce", "import truce; import truce.cli", "import truce.cli; truce.cli.app"])
def test_start_up_imports_no_heavy_library(code):
    loaded = modules_after(code)
    assert not loaded & set(HEAVY), f"{code!r} imported {sorted(loaded & set(HEAVY))}"


def test_import_truce_defers_numpy_and_the_schema():
    loaded = modules_after("import truce")
    assert "numpy" not in loaded and "pydantic" not in loaded


def test_the_probe_sees_a_heavy_import():
    # the check above can fail: a module that does import pandas is seen
    assert "pandas" in modules_after("import truce.analysis.results; import pandas")


def test_public_names_resolve_on_first_use():
    import truce

    assert set(truce.__all__) <= set(dir(truce))
    assert truce.load("two-issue-trade").compile().__class__ is truce.Problem
    assert issubclass(truce.ScenarioError, Exception)
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        truce.nonexistent  # noqa: B018


def test_cli_help_lists_the_commands_without_loading_the_engines():
    probe = (
        "from typer.testing import CliRunner\nimport truce.cli\n"
        "result = CliRunner().invoke(truce.cli.app, ['--help'])\n"
        "assert result.exit_code == 0 and 'simulate' in result.output, result.output"
    )
    assert loaded_among(probe, ("scipy", "pandas", "numpy", "pydantic", "truce.scenario", "truce.simulate")) == []


def test_a_small_simulation_does_not_load_the_compiled_engine():
    """Below the compiled engine's threshold (engine="auto", fewer than 2,000 runs) numpy plays, and
    numba (about half a second to import, more to load the cached loops) is never imported."""
    loaded = modules_after(
        "from truce.problem import Problem\nfrom truce.scenario import load\nfrom truce.simulate import simulate\n"
        "simulate(Problem.from_scenario(load('two-issue-trade')), runs=50)"
    )
    assert "numpy" in loaded and "numba" not in loaded and "llvmlite" not in loaded


@pytest.mark.parametrize(
    "code",
    [
        "import truce.mediation.sensitivity",
        "import truce.report.html",
        # the report's time estimate counts the sensitivity's simulations
        "from truce.cli.budget import report_simulations\nfrom truce.scenario import load\nreport_simulations(load('gaza-ceasefire').compile())",
    ],
)
def test_the_report_path_defers_salib_to_sobol(code):
    """Only Sobol's analysis needs SALib, which imports scipy.stats (about 1.5 s): the one-at-a-time
    sensitivity, the report and its estimate do not load it."""
    assert "SALib" not in modules_after(code)


def test_sobol_still_loads_salib():
    # the check above can fail: Sobol's indices do import SALib
    loaded = modules_after(
        "from truce.mediation.sensitivity import sobol_indices\n"
        "sobol_indices(lambda x: x[:, 0] + 2 * x[:, 1], ['a', 'b'], base_samples=8)"
    )
    assert "SALib" in loaded


def test_the_scenarios_draws_and_quantiles_do_not_load_scipy_stats():
    """Normal draws and every quantile use scipy.special (scipy.stats costs about a second to import)."""
    code = (
        "import numpy as np\nfrom truce.problem import Problem\nfrom truce.scenario import load\n"
        "problem = Problem.from_scenario(load('gaza-ceasefire'))\nproblem.sample(50, np.random.default_rng(0))\n"
        "[item.quantile(np.array([0.1, 0.9])) for item in problem.uncertain]"
    )
    assert loaded_among(code, ("scipy.special", "scipy.stats")) == ["scipy.special"]
