"""The report's track-record section (`truce report --backtest CASES`)."""

from __future__ import annotations

import subprocess
import sys

import yaml
from backtest.test_backtest import AGREED, case, write

from truce import load
from truce.backtest.casefile import load_cases
from truce.backtest.run import backtest
from truce.report.html import Provenance, build_report, scenario_digest, write_report
from report.test_report_html import figure_data, read_page


def _no_deal() -> dict:
    found = case(id="two", deal={"signed": False, "source": "s"})
    del found["terms"], found["held"]
    return found


def test_the_back_test_section_comes_before_reproduce_with_the_results_numbers(tmp_path):
    (tmp_path / "agreed.yaml").write_text(yaml.safe_dump(AGREED))
    _, _, resolved = load_cases(write(tmp_path, case(), _no_deal()))
    result = backtest(resolved, name="two made-up cases", runs=60, seed=2)
    scenario = load("gaza-ceasefire")
    problem = scenario.compile()
    provenance = Provenance("test", scenario_digest(scenario), {"seed": "2"}, "truce report gaza-ceasefire")
    text = build_report(scenario, problem.analyze(), None, provenance=provenance, backtest=result)
    assert read_page(text).sections[-2:] == ["backtest", "reproduce"]
    section = text[text.index('<section id="backtest">') : text.index("</section>", text.index('<section id="backtest">'))]
    overall = result.overall()
    # every run of the obvious case agrees, the case without a deal gets the same P(deal) 1: Brier (0 + 1) / 2
    assert overall["brier"] == 0.5 and overall["discrimination_auc"] == 0.5
    assert "two made-up cases" in section and "its Brier score is 0.500" in section and "discrimination" in section
    assert section.index('<div class="reading">') < section.index("<table")
    real = [trace for trace in figure_data(text, "figure-backtest") if trace["name"] == "real term"]
    assert [trace["y"] for trace in real] == [[2.0], [10.0]]  # 'high' is option step 2; 10 km


def test_the_cli_refuses_a_bad_case_file_before_any_work(tmp_path):
    (tmp_path / "agreed.yaml").write_text(yaml.safe_dump(AGREED))
    bad = write(tmp_path, case(as_of="2019-12-31"))
    target = tmp_path / "report.html"
    result = subprocess.run(
        [sys.executable, "-m", "truce", "report", "gaza-ceasefire", "--runs", "20", "--backtest", bad, "-o", str(target)],
        capture_output=True, text=True, env={"COLUMNS": "160", "PATH": ""},
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--backtest" in result.stderr and "cases.yaml" in result.stderr and "as_of" in result.stderr
    assert not target.exists() and not list(tmp_path.glob(".*partial*"))


def test_write_report_with_a_shipped_case_file_names_it_in_the_command(tmp_path):
    (tmp_path / "agreed.yaml").write_text(yaml.safe_dump(AGREED))
    path = write(tmp_path, case())
    text = write_report("gaza-ceasefire", tmp_path / "r.html", runs=30, engines=False, cases=path).read_text(encoding="utf-8")
    assert f"--backtest {path}" in text and "Track record" in text
