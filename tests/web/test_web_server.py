"""`serve`: localhost by default, a new token at each launch unless told otherwise, and the token
kept out of the access log."""

from __future__ import annotations

import logging

import pytest

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from live_server import live_server  # noqa: E402
from truce.web.app import create_app  # noqa: E402
from truce.web.server import is_loopback, log_config, redact_token, resolve_token, serve  # noqa: E402


@pytest.fixture(autouse=True)
def _no_token_from_the_environment(monkeypatch):
    monkeypatch.delenv("TRUCE_TOKEN", raising=False)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.5.0.9", "localhost", "::1", "[::1]"])
def test_loopback_addresses(host):
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "10.0.0.2", "example.org", ""])
def test_other_addresses(host):
    assert not is_loopback(host)


def test_each_launch_makes_its_own_token_even_on_localhost():
    first, second = resolve_token("127.0.0.1", None), resolve_token("127.0.0.1", None)
    assert first and second and first != second and len(first) >= 32
    assert resolve_token("0.0.0.0", None) not in (None, "")
    assert resolve_token("127.0.0.1", "given") == "given"


def test_the_token_can_be_turned_off_on_localhost_only(monkeypatch):
    assert resolve_token("127.0.0.1", None, no_token=True) is None
    with pytest.raises(ValueError, match="only localhost may run without a token"):
        resolve_token("0.0.0.0", None, no_token=True)
    with pytest.raises(ValueError, match="cannot be combined"):
        resolve_token("127.0.0.1", "given", no_token=True)
    monkeypatch.setenv("TRUCE_TOKEN", "from-env")
    assert resolve_token("0.0.0.0", None) == "from-env"


def test_serve_requires_its_printed_token_on_every_api_call(monkeypatch, capsys):
    served = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **options: served.update(app=app, **options))
    serve(host="127.0.0.1", port=8123)
    printed = capsys.readouterr().err
    assert "http://127.0.0.1:8123/?token=" in printed
    token = printed.split("?token=", 1)[1].split()[0].rstrip(";")
    with TestClient(served["app"], base_url="http://127.0.0.1:8123") as client:
        assert client.get("/").status_code == 200  # the page itself holds no data
        assert client.get("/api/scenarios").status_code == 401
        assert client.get("/api/scenarios", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    serve(host="127.0.0.1", port=8123, no_token=True)
    assert "?token=" not in capsys.readouterr().err
    with TestClient(served["app"], base_url="http://127.0.0.1:8123") as client:
        assert client.get("/api/scenarios").status_code == 200


def test_serve_refuses_before_binding(monkeypatch):
    monkeypatch.setattr("uvicorn.run", lambda app, **options: pytest.fail("bound"))
    with pytest.raises(ValueError, match="only localhost"):
        serve(host="0.0.0.0", port=8000, no_token=True)
    with pytest.raises(ValueError, match="--port"):
        serve(host="127.0.0.1", port=70000)


def test_the_token_never_reaches_the_access_log():
    assert redact_token("/docs?token=abc&x=1") == "/docs?token=<redacted>&x=1"
    access = logging.getLogger("uvicorn.access")
    seen: list[str] = []
    capture = logging.Handler()
    capture.emit = lambda record: seen.append(record.getMessage())
    with live_server(create_app(token="launch-secret-123"), log_config=log_config(), log_level="info") as base:
        access.addHandler(capture)  # after uvicorn has configured its logging
        try:
            assert httpx.get(f"{base}/docs?token=launch-secret-123").status_code == 200
            assert httpx.get(f"{base}/openapi.json?a=1&token=launch-secret-123").status_code == 200
        finally:
            access.removeHandler(capture)
    assert len(seen) == 2 and all("token=<redacted>" in line for line in seen), seen
    assert not any("launch-secret-123" in line for line in seen)


def test_the_command_refuses_no_token_on_another_address_with_exit_2():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "truce", "serve", "--host", "0.0.0.0", "--no-token"], capture_output=True, text=True, env={"COLUMNS": "160", "PATH": ""}, timeout=120
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--no-token" in result.stderr and "only localhost" in result.stderr
