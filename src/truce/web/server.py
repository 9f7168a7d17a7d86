"""Run the web app with uvicorn: localhost by default, and a token on every request.

Without ``--token`` (or ``TRUCE_TOKEN``) each launch makes a new random token
and prints the page's address with it; ``--no-token`` turns it off, on
localhost only. The access log shows ``?token=<redacted>``, never the token.
A client gets ``Limits.max_header_seconds`` for a request's line and headers
(:mod:`truce.web.connections`), ``max_body_seconds`` for its body.
"""

from __future__ import annotations

import copy
import ipaddress
import logging
import os
import re
import secrets
import sys
from typing import Any

from truce.errors import InputError
from truce.web.limits import Limits

TOKEN_VARIABLE = "TRUCE_TOKEN"
WILDCARDS = frozenset({"0.0.0.0", "::", "[::]", ""})
"""Addresses that listen on every interface: a request's Host is then checked against the address it came in on."""
CONNECTIONS = 64
"""Connections and requests served at once; more get 503 (uvicorn's ``limit_concurrency``)."""


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve anywhere


def resolve_token(host: str, token: str | None, *, no_token: bool = False) -> str | None:
    """The token to enforce: the argument, else ``TRUCE_TOKEN``, else a new random one for this launch;
    None with ``no_token``, which only localhost may have."""
    if no_token:
        if token:
            raise InputError("--no-token: cannot be combined with --token")
        if not is_loopback(host):
            raise InputError(f"--no-token: the server would be open to anyone who can reach {host}; only localhost may run without a token")
        return None
    return token or os.environ.get(TOKEN_VARIABLE) or secrets.token_urlsafe(24)


_TOKEN_IN_QUERY = re.compile(r"((?:^|[?&])token=)[^&#\s]*")


def redact_token(text: str) -> str:
    """``text`` with the value of every ``token=`` query parameter replaced by ``<redacted>``."""
    return _TOKEN_IN_QUERY.sub(r"\1<redacted>", text)


class RedactToken(logging.Filter):
    """Keeps the token out of uvicorn's access log: its third argument is the path with the query."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact_token(arg) if isinstance(arg, str) else arg for arg in record.args)
        record.msg = redact_token(record.msg) if isinstance(record.msg, str) else record.msg
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration, with :class:`RedactToken` on the access log."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact_token"] = {"()": RedactToken}
    config["loggers"]["uvicorn.access"]["filters"] = ["redact_token"]
    return config


def page_address(host: str, port: int, token: str | None, *, generated: bool) -> str:
    """The address to open: with this launch's token in it when it was generated here."""
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{port}/"
    if token is None:
        return address
    return address + (f"?token={token}" if generated else "?token=<your token>")


def serve(
    host: str = "127.0.0.1", port: int = 8000, token: str | None = None, *, no_token: bool = False, limits: Limits | None = None, log_level: str = "info"
) -> None:
    """Serve the page and the API until interrupted. Raises :class:`~truce.errors.InputError` for ``no_token`` on a non-local host, or a bad port."""
    import uvicorn

    from truce.web.app import create_app
    from truce.web.connections import header_deadline

    if not 0 <= port <= 65535:
        raise InputError(f"--port: found {port}; expected 0 to 65535")
    given = token or os.environ.get(TOKEN_VARIABLE) or None
    token = resolve_token(host, token, no_token=no_token)
    limits = limits or Limits()
    app = create_app(token=token, limits=limits, allowed_hosts=[] if host in WILDCARDS else [host])
    address = page_address(host, port, token, generated=given is None)
    note = "" if token is None or given else " (a new token at each launch; --no-token turns it off)"
    sys.stderr.write(f"truce: open {address}{note}; Ctrl-C stops the server\n")
    uvicorn.run(
        app, host=host, port=port, log_level=log_level, log_config=log_config(),
        timeout_keep_alive=5, limit_concurrency=CONNECTIONS, http=header_deadline(limits.max_header_seconds),
    )
