"""The page's Cancel button (issue 11), in headless Chromium: a running simulation is cancelled from
the page, which says so and draws nothing. The engine is held at its first progress report (in this
process: the server runs on a thread) so the job is still running when the button is pressed."""

from __future__ import annotations

import pytest

from test_web_browser import CHROMIUM, _Server, browser  # noqa: F401 - the module's browser fixture
from test_web_cancel import at_first_report  # noqa: F401 - the fixture holding the engine

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (Debian package `chromium`; .ci/run installs it)")


def test_cancel_a_running_simulation_from_the_page(browser, at_first_report, monkeypatch):  # noqa: F811
    monkeypatch.delenv("TRUCE_TOKEN", raising=False)
    with _Server(token=None) as address:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        failures = []
        page.on("pageerror", lambda error: failures.append(str(error)))
        page.goto(address + "/")
        page.wait_for_function("() => document.querySelectorAll('#scenario-select option').length > 1")
        page.select_option("#scenario-select", "two-issue-trade")
        page.wait_for_selector("#figure-agreement-space .main-svg")
        page.fill("#runs", "400")
        page.click("#run-simulation")
        assert at_first_report.entered.wait(60)
        page.click("#cancel-simulate")
        page.wait_for_selector("#cancel-simulate:disabled")
        at_first_report.set()
        page.wait_for_function("() => document.getElementById('progress-text').textContent.startsWith('cancelled')", timeout=30_000)
        assert page.inner_text("#progress-text") == "cancelled: 0 of 400 runs done, no result kept"
        assert page.locator("#cancel-simulate").count() == 0  # the button goes with the job
        assert page.is_enabled("#run-simulation") and page.locator("#figure-rounds .main-svg").count() == 0
        assert failures == []
        page.close()
