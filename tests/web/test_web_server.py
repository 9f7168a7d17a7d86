"""`serve`: localhost by default; any other address needs a token."""

from __future__ import annotations

import pytest

from truce.web.server import is_loopback, resolve_token, serve


@pytest.fixture(autouse=True)
def _no_token_from_the_environment(monkeypatch):
    monkeypatch.delenv("TRUCE_TOKEN", raising=False)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.5.0.9", "localhost", "::1", "[::1]"])
def test_loopback_addresses(host):
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "10.0.0.2", "example.org", ""])
def test_other_addresses(host):
    assert not is_loopback(host)


def test_localhost_needs_no_token():
    assert resolve_token("127.0.0.1", None) is None
    assert resolve_token("127.0.0.1", "given") == "given"


def test_another_address_needs_a_token_from_the_argument_or_the_environment(monkeypatch):
    with pytest.raises(ValueError, match="requires an access token"):
        resolve_token("0.0.0.0", None)
    assert resolve_token("0.0.0.0", "abc") == "abc"
    monkeypatch.setenv("TRUCE_TOKEN", "from-env")
    assert resolve_token("0.0.0.0", None) == "from-env"


def test_serve_refuses_before_binding():
    with pytest.raises(ValueError, match="TRUCE_TOKEN"):
        serve(host="0.0.0.0", port=8000)
    with pytest.raises(ValueError, match="--port"):
        serve(host="127.0.0.1", port=70000)
