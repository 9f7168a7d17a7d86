"""The server's defences, each checked from the outside with a request: security headers, the
Host check (DNS rebinding), the content types a cross-site page cannot send without a preflight."""

from __future__ import annotations

import hashlib
import base64
import re
from html.parser import HTMLParser

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

from truce.web.app import create_app  # noqa: E402

TOKEN = "security-test-token"


@pytest.fixture(autouse=True)
def _no_token_from_the_environment(monkeypatch):
    monkeypatch.delenv("TRUCE_TOKEN", raising=False)


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(), base_url="http://127.0.0.1:8000") as test_client:
        yield test_client


@pytest.fixture(scope="module")
def guarded():
    with TestClient(create_app(token=TOKEN), base_url="http://127.0.0.1:8000") as test_client:
        yield test_client


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as directive -> sources."""
    directives = {}
    for part in response.headers.get("content-security-policy", "").split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


# ------------------------------------------------------------- security headers
RESPONSES = [
    ("GET", "/", None),
    ("GET", "/api/scenarios", None),
    ("GET", "/api/scenarios/atlantis", None),  # 404
    ("GET", "/static/app.js", None),
    ("GET", "/openapi.json", None),
    ("POST", "/api/analyze", b"{not json"),  # 422
]


@pytest.mark.parametrize(("method", "path", "body"), RESPONSES)
def test_every_response_carries_the_security_headers(client, method, path, body):
    response = client.request(method, path, content=body, headers={"content-type": "application/json"} if body else {})
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    directives = policy(response)
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["default-src"] == ["'none'"]
    assert "'unsafe-inline'" not in directives.get("script-src", []) and "'unsafe-eval'" not in directives.get("script-src", [])


def test_errors_answered_before_any_route_carry_them_too(guarded):
    refused = guarded.get("/api/scenarios")
    assert refused.status_code == 401
    assert refused.headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in refused.headers["content-security-policy"]


class _Inline(HTMLParser):
    """Inline script and style in a page: <script> without src, <style>, style="", on...="" handlers."""

    def __init__(self):
        super().__init__()
        self.inline: list[str] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self._in_script = "src" not in attributes
            if not self._in_script:
                self.scripts.append(attributes["src"])
        if tag == "style":
            self.inline.append("<style>")
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.styles.append(attributes["href"])
        self.inline += [f"{tag} {name}=" for name in attributes if name == "style" or name.startswith("on")]

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline.append("<script> " + data.strip()[:40])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def test_the_page_has_no_inline_script_or_style_and_its_files_are_served(client):
    page = client.get("/")
    parser = _Inline()
    parser.feed(page.text)
    assert parser.inline == []
    assert parser.scripts == ["/static/app.js", "/static/draft.js"] and parser.styles == ["/static/style.css"]
    # app.js and draft.js are ES modules; every module they import, directly or not, is served as JavaScript
    seen, todo = set(), ["app.js", "draft.js"]
    while todo:
        name = todo.pop()
        script = client.get(f"/static/{name}")
        assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript"), name
        seen.add(name)
        todo += [found for found in re.findall(r'^import .* from "\./([\w-]+\.js)";$', script.text, flags=re.M) if found not in seen]
    assert seen == {"app.js", "core.js", "form.js", "figures.js", "results.js", "advice.js", "draft.js"}
    assert "function loadPlotly" in client.get("/static/core.js").text
    style = client.get("/static/style.css")
    assert style.status_code == 200 and style.headers["content-type"].startswith("text/css") and ".panel {" in style.text


def test_with_a_token_the_static_files_need_none_and_hold_no_data(guarded):
    # <script src> and <link href> cannot send an Authorization header; the files are the page's code, not data.
    for path in ("/static/app.js", "/static/core.js", "/static/results.js", "/static/draft.js", "/static/style.css", "/static/plotly.min.js"):
        assert guarded.get(path).status_code == 200
    assert guarded.get("/static/../api/scenarios").status_code in (401, 404)
    # the page too (a reload must work once its script has taken the token out of the address bar); its data does not
    assert guarded.get("/").status_code == 200 and TOKEN not in guarded.get("/").text
    assert guarded.get("/api/scenarios").status_code == 401


def test_docs_allows_exactly_its_own_inline_script(guarded):
    response = guarded.get(f"/docs?token={TOKEN}")
    assert response.status_code == 200
    inline = re.findall(r"<script>(.*?)</script>", response.text, flags=re.S)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode("utf-8")).digest()).decode()
    directives = policy(response)
    assert f"'sha256-{digest}'" in directives["script-src"]
    assert "'unsafe-inline'" not in directives["script-src"] and directives["frame-ancestors"] == ["'none'"]


def test_the_report_download_is_sandboxed(client):
    trade = client.get("/api/scenarios/two-issue-trade").json()
    response = client.post("/api/report", json={"scenario": trade, "runs": 50})
    assert response.status_code == 200
    directives = policy(response)
    assert "sandbox" in directives and directives["default-src"] == ["'none'"]


# ------------------------------------------------------- Host (DNS rebinding)
@pytest.mark.parametrize("host", ["127.0.0.1:8000", "127.0.0.1", "localhost:8000", "LocalHost.:8000", "[::1]:8000", "[::1]"])
def test_the_loopback_names_are_accepted_as_host(client, host):
    assert client.get("/api/scenarios", headers={"host": host}).status_code == 200


@pytest.mark.parametrize(
    "host", ["rebind.attacker.example", "rebind.attacker.example:8000", "127.0.0.1.attacker.example", "localhost.attacker.example:8000", "[::1].attacker.example", "", "127.0.0.1:8000@attacker.example"]
)
def test_any_other_host_is_refused_before_the_token_or_the_route(client, guarded, host):
    # A page on attacker.example whose name is re-pointed at 127.0.0.1 reaches the server with its own name as Host.
    response = client.get("/api/scenarios", headers={"host": host})
    assert response.status_code == 421
    assert "Host" in response.json()["detail"][0]["message"] and response.headers["x-frame-options"] == "DENY"
    assert guarded.get("/api/scenarios", headers={"host": host}).status_code == 421


def test_a_host_name_given_to_the_app_is_accepted():
    with TestClient(create_app(allowed_hosts=["truce.lab.example"]), base_url="http://10.0.0.5:8000") as named:
        assert named.get("/api/scenarios", headers={"host": "truce.lab.example:8000"}).status_code == 200
        assert named.get("/api/scenarios", headers={"host": "10.0.0.5:8000"}).status_code == 200  # the address it was reached on
        assert named.get("/api/scenarios", headers={"host": "other.example:8000"}).status_code == 421


# ------------------------------------------------------------- content types
@pytest.fixture(scope="module")
def trade(client) -> bytes:
    return client.get("/api/scenarios/two-issue-trade").content


@pytest.mark.parametrize("content_type", [None, "text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
@pytest.mark.parametrize("path", ["/api/analyze", "/api/validate", "/api/parse"])
def test_bodies_a_cross_site_page_can_send_without_a_preflight_are_415(client, trade, path, content_type):
    # A cross-site page can POST these types (or none: a Blob body) with no CORS preflight; the server must not act on them.
    headers = {} if content_type is None else {"content-type": content_type}
    response = client.post(path, content=trade, headers=headers)
    assert response.status_code == 415, response.text
    assert "application/json" in response.json()["detail"][0]["message"]


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"])
def test_parse_takes_json_and_the_yaml_types(client, trade, content_type):
    response = client.post("/api/parse", content=trade, headers={"content-type": content_type})
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Two-issue trade (teaching)"


def test_json_routes_take_json_only(client, trade):
    assert client.post("/api/validate", content=trade, headers={"content-type": "application/json; charset=UTF-8"}).status_code == 200
    assert client.post("/api/validate", content=trade, headers={"content-type": "application/yaml"}).status_code == 415


def test_the_token_is_compared_in_constant_time(guarded, monkeypatch):
    """Every token check goes through hmac.compare_digest (constant time in the length of the token),
    for the header and for the ?token= of a page, and its answer alone decides (issue 18)."""
    from truce.web import guards

    calls = []
    real = guards.hmac.compare_digest

    def spy(candidate, token):
        calls.append((candidate, token))
        return real(candidate, token)

    monkeypatch.setattr(guards.hmac, "compare_digest", spy)
    wrong = "x" * len(TOKEN)
    assert guarded.get("/api/limits", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert calls == [(TOKEN.encode(), TOKEN.encode())]
    calls.clear()
    assert guarded.get("/api/limits", headers={"Authorization": f"Bearer {wrong}"}).status_code == 401
    assert calls == [(wrong.encode(), TOKEN.encode())]
    calls.clear()
    assert guarded.get(f"/openapi.json?token={wrong}").status_code == 401
    assert calls == [(wrong.encode(), TOKEN.encode())]
    # a stand-in that says yes to everything lets a wrong token in: nothing else (no ==) compares the token
    monkeypatch.setattr(guards.hmac, "compare_digest", lambda candidate, token: True)
    assert guarded.get("/api/limits", headers={"Authorization": f"Bearer {wrong}"}).status_code == 200
    assert guarded.get(f"/openapi.json?token={wrong}").status_code == 200
