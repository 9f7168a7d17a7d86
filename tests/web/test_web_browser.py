"""End to end in headless Chromium (Debian package ``chromium``) driven by Playwright.

A person opens the page, picks gaza-ceasefire, runs a simulation, sees the
plots appear, edits a stance and sees the figures change; runs the forecast,
switches a lever on, compares the levers and follows the ceasefire's
durability, each with its figure and its line in plain words. The page must
load nothing from outside the server.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (Debian package `chromium`; .ci/run installs it)"
)
sync_api = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")

from truce.web.app import create_app  # noqa: E402

TOKEN = "browser-test-token"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Server:
    """The app on a free localhost port, served by uvicorn on a thread."""

    def __init__(self, token: str | None):
        self.port = _free_port()
        config = uvicorn.Config(create_app(token=token), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield launched
        launched.close()


def _figure_data(page, div_id: str) -> str:
    return page.evaluate(f"JSON.stringify(document.getElementById('{div_id}').data || null)")


def test_pick_simulate_edit_and_see_the_figures_change(browser, monkeypatch):
    monkeypatch.delenv("TRUCE_TOKEN", raising=False)
    with _Server(token=None) as address:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        failures, requested = [], []
        page.on("pageerror", lambda error: failures.append(str(error)))
        page.on("request", lambda request: requested.append(request.url))
        page.goto(address + "/")
        page.wait_for_function("() => window.Plotly !== undefined && document.querySelectorAll('#scenario-select option').length > 1")

        page.select_option("#scenario-select", "gaza-ceasefire")
        page.wait_for_selector("#figure-agreement-space .main-svg")
        assert "Zone of possible agreement" in page.inner_text("#figure-agreement-space")

        page.fill("#runs", "400")
        page.click("#run-simulation")
        page.wait_for_selector("#figure-rounds .main-svg", timeout=30_000)
        page.wait_for_selector("#figure-terms .main-svg")
        assert "simulated negotiations" in page.inner_text("#reading-summary")
        assert "Chance of a deal" in page.inner_text("#summary-cards")
        # the flagship is a phased agreement: the page shows each phase beside the simulation of every issue at once
        assert page.is_visible("#phases") and "Pause and exchange" in page.inner_text("#phases-table")
        assert "phased agreement" in page.inner_text("#reading-phases")

        space_before = _figure_data(page, "figure-agreement-space")
        terms_before = _figure_data(page, "figure-terms")
        salience = page.locator('[data-path="actors[0].stances.ceasefire.salience"]')
        salience.fill("0.05")
        salience.press("Tab")  # commits the edit (a change event)
        page.wait_for_function(
            "before => JSON.stringify(document.getElementById('figure-agreement-space').data) !== before", arg=space_before, timeout=15_000
        )
        # "re-run after each edit" is on: the simulation's figures follow the edit too.
        page.wait_for_function(
            "before => JSON.stringify(document.getElementById('figure-terms').data) !== before", arg=terms_before, timeout=30_000
        )
        assert page.is_hidden("#problems")

        salience.fill("lots")
        salience.press("Tab")
        page.wait_for_selector("#problems:not([hidden])")
        assert "actors[0].stances.ceasefire.salience" in page.inner_text("#problems")

        assert failures == []
        assert all(url.startswith(address) or url.startswith(("data:", "blob:")) for url in requested), requested
        page.close()


def test_forecast_levers_and_durability_from_the_page(browser, monkeypatch):
    monkeypatch.delenv("TRUCE_TOKEN", raising=False)
    with _Server(token=None) as address:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        failures, requested, sent = [], [], {}
        page.on("pageerror", lambda error: failures.append(str(error)))
        page.on("request", lambda request: requested.append(request.url))
        page.on("request", lambda request: sent.__setitem__(request.url.rsplit("/", 1)[-1], request.post_data_json) if request.method == "POST" else None)
        page.goto(address + "/")
        page.wait_for_function("() => window.Plotly !== undefined && document.querySelectorAll('#scenario-select option').length > 1")
        page.select_option("#scenario-select", "gaza-ceasefire")
        page.wait_for_selector("#figure-agreement-space .main-svg")
        page.fill("#runs", "200")  # small runs keep the what-if (12 variants) quick

        # The forecast answers at once: its plot and, per issue, where it settles.
        page.click("#run-forecast")
        page.wait_for_selector("#figure-positions .main-svg", timeout=15_000)
        reading = page.inner_text("#reading-forecast")
        assert reading.startswith("Forecast by the Spatial Model of Politics") and "Ceasefire duration and permanence: " in reading
        assert "Reconstruction" in page.inner_text("#forecast-table")
        assert "forecast" in page.inner_text("#figure-positions")  # the legend's dashed forecast line

        # Switch a lever on in the form: it goes with the next request.
        lever = page.locator('[data-lever="un_monitoring"]')
        assert not lever.is_checked()
        lever.check()
        assert "un_monitoring" in page.inner_text("#whatif-note")
        page.click("#run-whatif")
        page.wait_for_selector("#figure-levers .main-svg", timeout=30_000)
        assert [lever["active"] for lever in sent["whatif"]["scenario"]["levers"][:2]] == [True, True]
        assert sent["whatif"]["runs"] == 200 and sent["whatif"]["hold_days"] == 90
        bars = page.evaluate("document.getElementById('figure-levers').data[0].y")
        # now in the baseline; the bars name the variants in words (issue 17)
        assert "taking away monitoring by United Nations" in bars and not any(bar.startswith("adding monitoring by United Nations") for bar in bars)
        reading = page.inner_text("#reading-levers")
        assert "guarantee by Egypt, monitoring by United Nations in force" in reading and "P(a deal that holds 90 days)" in reading and "95% interval" in reading
        assert page.inner_text("#progress-whatif-text").startswith("done: 12 variants")

        page.click("#run-durability")
        page.wait_for_selector("#figure-survival .main-svg", timeout=30_000)
        cards = page.inner_text("#durability-cards")
        assert all(f"Holds {days} days" in cards for days in (30, 90, 365)) and "95% interval" in cards
        assert "still hold after 30 days" in page.inner_text("#reading-durability")
        assert "days after signature" in page.inner_text("#figure-survival")
        assert page.inner_text("#progress-durability-text").startswith("done: 200 runs")

        # An edit marks the lever comparison and durability out of date (they are not re-run on their own).
        lever.uncheck()
        page.wait_for_selector("#whatif-stale:not([hidden])")
        page.wait_for_selector("#durability-stale:not([hidden])")

        assert failures == []
        assert page.is_hidden("#problems")
        assert all(url.startswith(address) or url.startswith(("data:", "blob:")) for url in requested), requested
        page.close()


def test_with_a_token_the_page_opens_from_its_address(browser):
    with _Server(token=TOKEN) as address:
        page = browser.new_page()
        page.goto(f"{address}/?token={TOKEN}")
        page.wait_for_function("() => document.querySelectorAll('#scenario-select option').length > 1")
        assert "token" not in page.url  # taken out of the address bar
        page.select_option("#scenario-select", "two-issue-trade")
        page.wait_for_selector("#figure-agreement-space .main-svg")
        page.reload()  # the address has no token any more; the tab still has it
        page.wait_for_function("() => document.querySelectorAll('#scenario-select option').length > 1")
        page.close()


CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) =>
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber}:${event.columnNumber})`));
"""


def test_the_page_satisfies_its_content_security_policy(browser, monkeypatch):
    monkeypatch.delenv("TRUCE_TOKEN", raising=False)
    with _Server(token=None) as address:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        console, failures = [], []
        page.on("console", lambda message: console.append(message.text) if message.type in ("error", "warning") else None)
        page.on("pageerror", lambda error: failures.append(str(error)))
        page.add_init_script(CSP_WATCH)
        response = page.goto(address + "/")
        policy = response.headers["content-security-policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'" and "'unsafe-inline'" not in directives["style-src"]
        assert directives["frame-ancestors"] == "'none'"
        page.wait_for_function("() => window.Plotly !== undefined && document.querySelectorAll('#scenario-select option').length > 1")
        page.select_option("#scenario-select", "gaza-ceasefire")
        page.wait_for_selector("#figure-agreement-space .main-svg")
        page.fill("#runs", "200")
        page.click("#run-simulation")
        page.wait_for_selector("#figure-rounds .main-svg", timeout=30_000)
        page.click("#run-forecast")
        page.wait_for_selector("#figure-positions .main-svg", timeout=15_000)
        page.hover("#figure-agreement-space")  # the mode bar: Plotly's own CSS rules
        assert page.evaluate("window.__cspViolations") == []
        assert [line for line in console if "Content Security Policy" in line or "CSP" in line] == []
        assert failures == []
        # Plotly's CSS rules did reach the page (through the CSSOM, into its empty style element).
        assert page.evaluate("document.getElementById('plotly.js-style-global').sheet.cssRules.length") > 10
        page.close()


def four_parties(path) -> str:
    """The docs' four-party water treaty in small: long names, and positions from values tables."""
    import yaml

    def party(pid, name, share, dam, values=None):
        stance = {"position": dam, "salience": 0.4, **({"values": values} if values else {})}
        return {"id": pid, "name": name, "reservation": {"triangular": [0.2, 0.3, 0.4]} if pid == "upper" else 0.3, "cost_of_delay": 0.01,
                "stances": {"allocation": {"position": share, "salience": 0.6}, "dam": stance}}

    scenario = {
        "name": "Four-party river basin treaty (illustrative)",
        "issues": [
            {"id": "allocation", "name": "Share of the dry-season flow allocated downstream", "kind": "ordered", "options": ["ten percent", "twenty percent", "thirty percent", "forty percent"]},
            {"id": "dam", "name": "Upstream dam operation", "kind": "categorical", "options": ["none", "seasonal release", "joint commission"]},
        ],
        "actors": [
            party("upper", "Upper Riverland Republic", "ten percent", "none", {"none": 1.0, "seasonal release": 0.6, "joint commission": 0.2}),
            party("middle", "Middle Valley Federation", "twenty percent", "seasonal release", {"none": 0.3, "seasonal release": 1.0, "joint commission": 0.7}),
            party("lower", "Lower Delta Kingdom", "forty percent", "joint commission"),
            party("coast", "Coastal Estuary Commonwealth", "thirty percent", "joint commission"),
        ],
    }
    path.write_text(yaml.safe_dump(scenario, sort_keys=False), encoding="utf-8")
    return str(path)


def test_four_parties_fit_the_page_and_a_values_table_is_edited_on_it(browser, monkeypatch, tmp_path):
    """Issue 17: with four parties the parties table overflowed, and a position given as a values table
    could not be edited on the page. One page load, at a laptop's and a phone's width."""
    monkeypatch.delenv("TRUCE_TOKEN", raising=False)
    with _Server(token=None) as address:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        failures, sent = [], []
        page.on("pageerror", lambda error: failures.append(str(error)))
        page.on("request", lambda request: sent.append(request.post_data_json) if request.method == "POST" and request.url.endswith("/api/analyze") else None)
        page.goto(address + "/")
        page.wait_for_function("() => window.Plotly !== undefined && document.querySelectorAll('#scenario-select option').length > 1")
        page.set_input_files("#upload", four_parties(tmp_path / "four.yaml"))
        page.wait_for_selector("#figure-agreement-space .main-svg")
        fits = "() => { const box = document.querySelector('#parties-form .table-scroll');" \
               " return [document.documentElement.scrollWidth, innerWidth, box.scrollWidth, box.clientWidth, getComputedStyle(box).overflowX]; }"
        page_width, screen, table, box, overflow = page.evaluate(fits)
        assert page_width <= screen and table <= box, (page_width, screen, table, box)  # one row per party: the table fits its column
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_function("() => document.documentElement.scrollWidth <= innerWidth", timeout=10_000)  # once Plotly has redrawn its figures
        page_width, screen, table, box, overflow = page.evaluate(fits)
        assert table <= box or overflow == "auto", (table, box, overflow)  # on a phone it scrolls inside its own box
        page.set_viewport_size({"width": 1280, "height": 900})

        value = page.locator('[data-path="actors[0].stances.dam.values.joint commission"]')
        assert value.is_enabled()
        before = _figure_data(page, "figure-agreement-space")
        value.fill("1")
        value.press("Tab")
        page.wait_for_function("before => JSON.stringify(document.getElementById('figure-agreement-space').data) !== before", arg=before, timeout=15_000)
        assert page.is_hidden("#problems")
        dam = sent[-1]["actors"][0]["stances"]["dam"]  # the scenario the page sent
        # the position follows the option of highest value, as the file requires
        assert dam["values"] == {"none": 1.0, "seasonal release": 0.6, "joint commission": 1.0} and dam["position"] == "none"
        value.fill("1.5")
        value.press("Tab")
        page.wait_for_selector("#problems:not([hidden])")
        assert "values.joint commission" in page.inner_text("#problems")
        assert failures == []
        page.close()
