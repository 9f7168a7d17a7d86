"""Run the web app with uvicorn: localhost by default, a token required anywhere else."""

from __future__ import annotations

import ipaddress
import os
import sys

from truce.errors import InputError
from truce.web.limits import Limits

TOKEN_VARIABLE = "TRUCE_TOKEN"
WILDCARDS = frozenset({"0.0.0.0", "::", "[::]", ""})
"""Addresses that listen on every interface: a request's Host is then checked against the address it came in on."""


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve anywhere


def resolve_token(host: str, token: str | None) -> str | None:
    """The token to enforce: the argument, else ``TRUCE_TOKEN``; refuses a non-local address without one."""
    token = token or os.environ.get(TOKEN_VARIABLE) or None
    if not is_loopback(host) and not token:
        raise InputError(
            f"--host {host}: binding an address other than localhost requires an access token; "
            f"pass --token TOKEN or set the {TOKEN_VARIABLE} environment variable"
        )
    return token


def serve(host: str = "127.0.0.1", port: int = 8000, token: str | None = None, *, limits: Limits | None = None, log_level: str = "info") -> None:
    """Serve the page and the API until interrupted. Raises ``ValueError`` for a non-local host without a token."""
    import uvicorn

    from truce.web.app import create_app

    token = resolve_token(host, token)
    if not 0 <= port <= 65535:
        raise InputError(f"--port: found {port}; expected 0 to 65535")
    app = create_app(token=token, limits=limits, allowed_hosts=[] if host in WILDCARDS else [host])
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{port}/"
    sys.stderr.write(f"truce: serving on {address}" + ("?token=<your token>" if token else "") + " (Ctrl-C to stop)\n")
    uvicorn.run(app, host=host, port=port, log_level=log_level)
