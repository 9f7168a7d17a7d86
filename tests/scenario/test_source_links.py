"""A source's ``url`` becomes a link in the report: only http(s) and relative addresses are accepted,
so a scenario file cannot plant a ``javascript:`` link that runs when a reader clicks it (issue 18)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import yaml

from truce.scenario import ScenarioError, load, load_file
from truce.scenario.schema.common import Source, is_safe_link, url_scheme

HOSTILE = [
    "javascript:alert(document.domain)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",  # browsers drop leading spaces and controls
    "\x01javascript:alert(1)",
    "java\tscript:alert(1)",  # ... and tabs and newlines anywhere
    "java\nscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
]
ACCEPTED = ["https://example.org/a?b=c#d", "HTTP://example.org", "//example.org/path", "/relative/path", "docs/page.html", "#notes", "page.html?x=a:b"]


@pytest.mark.parametrize("url", HOSTILE)
def test_a_scenario_file_with_a_scripting_link_is_refused_naming_file_and_field(tmp_path, url):
    data = load("two-issue-trade").model_dump(mode="json", exclude_none=True)
    data["sources"] = [{"id": "memo", "title": "A memo", "url": url}]
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_file(path)
    assert [where for where, _ in caught.value.problems] == ["sources[0].url"]
    message = str(caught.value)
    assert "hostile.yaml" in message and "http:// or https://" in message and f"'{url_scheme(url)}:'" in message


@pytest.mark.parametrize("url", ACCEPTED)
def test_web_and_relative_addresses_are_accepted(url):
    assert Source(id="memo", title="A memo", url=url).url == url


def test_the_scheme_is_read_as_a_browser_reads_it():
    assert [url_scheme(url) for url in HOSTILE[:6]] == ["javascript"] * 6
    assert url_scheme("/a:b") is None and url_scheme("a b:c") is None and url_scheme("HTTPS://x") == "https"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.hrefs += [value or "" for name, value in attrs if name == "href"]


def test_the_report_does_not_link_an_address_that_skipped_validation():
    from truce.report.html import render_report

    trade = load("two-issue-trade")
    planted = Source.model_construct(id="memo", title="A memo", url="javascript:alert(1)", date=None, note=None)
    kept = Source(id="site", title="A site", url="https://example.org/memo")
    scenario = trade.model_copy(update={"sources": [*trade.sources, planted, kept]})
    page = render_report(scenario, runs=20, engines=False)
    links = _Links()
    links.feed(page)
    assert not [href for href in links.hrefs if not is_safe_link(href)]
    assert "https://example.org/memo" in links.hrefs
    assert re.search(r"<code>javascript:alert\(1\)</code>", page)  # still shown, as text
