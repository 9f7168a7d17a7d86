"""A client that sends its request line and headers slowly ("slowloris") gets 408 and its connection
closed (issue 18), from a raw socket against a real uvicorn server; a request that arrives in time,
and the next one on the same kept-alive connection, are answered as usual."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from live_server import live_server  # noqa: E402
from truce.web.app import create_app  # noqa: E402
from truce.web.connections import HeaderDeadline, header_deadline  # noqa: E402
from truce.web.limits import Limits  # noqa: E402
from truce.web.server import serve  # noqa: E402

DEADLINE = 0.5
"""The test servers' limit on a request head (the default is 10 s)."""
DRIP = 0.05
"""Seconds between the slow client's bytes: its head would take 3 s, six times the limit."""
REQUEST = b"GET /api/limits HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: a-very-slow-client/1.0\r\nAccept: application/json\r\n\r\n"


@pytest.fixture(autouse=True)
def _no_token_from_the_environment(monkeypatch):
    monkeypatch.delenv("TRUCE_TOKEN", raising=False)


@pytest.fixture(scope="module")
def address():
    with live_server(create_app(), http=header_deadline(DEADLINE)) as base:
        parts = urlsplit(base)
        yield parts.hostname, parts.port


def read_answer(connection: socket.socket) -> bytes:
    """Everything the server sends until it has sent a whole response with its body (or closed)."""
    answer = b""
    while b"\r\n\r\n" not in answer or len(answer.split(b"\r\n\r\n", 1)[1]) < _length(answer):
        chunk = connection.recv(65536)
        if not chunk:
            break
        answer += chunk
    return answer


def _length(answer: bytes) -> int:
    head = answer.split(b"\r\n\r\n", 1)[0].lower()
    return next((int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.startswith(b"content-length:")), 0)


def drip(connection: socket.socket, data: bytes) -> tuple[int, bytes]:
    """Send ``data`` a byte every :data:`DRIP` seconds until the server answers or closes; (bytes sent, answer)."""
    connection.settimeout(DRIP)
    for sent in range(len(data)):
        try:
            connection.sendall(data[sent : sent + 1])
        except (BrokenPipeError, ConnectionResetError):
            return sent, b""
        try:
            answer = connection.recv(65536)
        except socket.timeout:
            continue
        connection.settimeout(5)
        return sent + 1, answer + (read_answer(connection) if answer else b"")
    return len(data), b""


def test_a_request_head_sent_byte_by_byte_gets_408_and_the_connection_closes(address):
    with socket.create_connection(address, timeout=5) as connection:
        sent, answer = drip(connection, REQUEST)
        assert sent < len(REQUEST), "the server waited for the whole slow head"
        assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
        assert b"connection: close" in answer.lower()
        connection.settimeout(5)
        assert connection.recv(1) == b""  # closed


def test_a_request_in_time_and_the_next_one_on_the_same_connection_are_answered_then_a_slow_third_is_not(address):
    with socket.create_connection(address, timeout=5) as connection:
        for _ in range(2):
            connection.sendall(REQUEST)
            answer = read_answer(connection)
            assert answer.startswith(b"HTTP/1.1 200 "), answer[:200]
            assert b'"max_header_seconds"' in answer
        sent, answer = drip(connection, REQUEST)  # the limit counts again from the last answer
        assert sent < len(REQUEST) and answer.startswith(b"HTTP/1.1 408 "), answer[:200]


def test_serve_gives_uvicorn_the_header_limit_of_its_limits(monkeypatch):
    served = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **options: served.update(app=app, **options))
    serve(host="127.0.0.1", port=8123, no_token=True)
    assert issubclass(served["http"], HeaderDeadline) and served["http"].header_seconds == Limits().max_header_seconds == 10.0
    serve(host="127.0.0.1", port=8123, no_token=True, limits=Limits(max_header_seconds=2.5))
    assert served["http"].header_seconds == 2.5
