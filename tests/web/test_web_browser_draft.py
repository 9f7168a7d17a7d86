"""End to end in headless Chromium: paste a news text on the page, see the drafted actors and demands, download the draft."""

from __future__ import annotations

import pytest

from test_web_browser import CHROMIUM, LAUNCH_ARGS, _Server

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (Debian package `chromium`)")
sync_api = pytest.importorskip("playwright.sync_api")

TEXT = (
    "Ceasefire talks between Hamas and Israel resumed in Cairo, hosted by Egypt. "
    "Hamas demanded the lifting of the blockade. Israel rejected the demand and sought an end to rocket fire."
)


def test_paste_a_text_see_the_draft_and_download_it(monkeypatch):
    monkeypatch.delenv("TRUCE_TOKEN", raising=False)
    with sync_api.sync_playwright() as playwright, _Server(token="draft-page-token") as address:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        failures = []
        page.on("pageerror", lambda error: failures.append(str(error)))
        page.goto(address + "/?token=draft-page-token")
        page.click("#draft-panel summary")
        page.fill("#draft-text", TEXT)
        page.click("#draft-run")
        page.wait_for_selector("#draft-result:not([hidden])", timeout=30_000)
        actors = page.inner_text("#draft-actors")
        assert "Hamas\tparty" in actors and "Israel\tparty" in actors and "Egypt\tmediator" in actors
        assert "Hamas: demand on blockade (lifted)" in page.inner_text("#draft-stances")
        assert "placeholders to fill in" in page.inner_text("#draft-placeholders")
        assert page.text_content("#draft-yaml").startswith("# Draft scenario written by `truce draft`")
        with page.expect_download() as download:
            page.click("#draft-download")
        assert download.value.suggested_filename == "draft.yaml"

        page.fill("#draft-text", "12345")
        page.click("#draft-run")
        page.wait_for_function("() => document.getElementById('draft-status').textContent.startsWith('Cannot draft')")
        assert "text: " in page.inner_text("#draft-status") and "has no words" in page.inner_text("#draft-status")
        assert page.is_hidden("#draft-result")
        assert failures == []
        browser.close()
