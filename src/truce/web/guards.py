"""ASGI guards in front of the app: the Host, the access token, the content type, the request body
size and the numbers in a JSON body.

They answer before any route runs, so a request without the token, or with
a body over the limit, costs the server almost nothing: the body of an
unauthorised request is never read, and an oversized body is never read
past the limit.
"""

from __future__ import annotations

import hmac
import json
import math
from typing import Any, Awaitable, Callable
from urllib.parse import parse_qs

import anyio

from truce.web.static import FILES

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PAGE_PATHS = frozenset({"/docs", "/openapi.json"})
"""Pages a browser opens by address: a GET of these may carry the token as ``?token=`` instead of the header."""
PUBLIC_PATHS = frozenset({"/", "/static/plotly.min.js", *(f"/static/{name}" for name in FILES)})
"""The page and its code, the same for everyone and holding no data: served without the token, since a
``<script src>`` or ``<link href>`` cannot send one, and a reload of the page (whose script took the
token out of the address bar) must still find it. Every ``/api/`` call needs the token."""


async def send_error(send: Send, status: int, message: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    """Answer with the API's error shape: ``{"detail": [{"path": "", "message": ...}]}``."""
    await send_problems(send, status, [("", message)], headers)


async def send_problems(send: Send, status: int, problems: list[tuple[str, str]], headers: list[tuple[bytes, bytes]] | None = None) -> None:
    """Answer with the API's error shape, one entry per (path, message)."""
    body = json.dumps({"detail": [{"path": path, "message": message} for path, message in problems]}).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *(headers or [])],
        }
    )
    await send({"type": "http.response.body", "body": body})


class TokenGuard:
    """Every HTTP request must carry ``Authorization: Bearer TOKEN`` (or ``?token=TOKEN`` on a GET of a page)."""

    def __init__(self, app: ASGIApp, token: str):
        self.app = app
        self.token = token.encode("utf-8")

    def _matches(self, candidate: bytes) -> bool:
        return hmac.compare_digest(candidate, self.token)

    def allowed(self, scope: Scope) -> bool:
        if scope.get("method") in ("GET", "HEAD") and scope.get("path") in PUBLIC_PATHS:
            return True
        for name, value in scope.get("headers", ()):
            if name == b"authorization":
                scheme, _, credential = value.partition(b" ")
                if scheme.lower() == b"bearer" and self._matches(credential.strip()):
                    return True
        if scope.get("method") == "GET" and scope.get("path") in PAGE_PATHS:
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            return any(self._matches(value.encode("utf-8")) for value in query.get("token", []))
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.allowed(scope):
            await self.app(scope, receive, send)
            return
        await send_error(
            send,
            401,
            "this server requires its access token: send the header 'Authorization: Bearer TOKEN' "
            "(in a browser, open the address `truce serve` printed, which ends in ?token=...)",
            [(b"www-authenticate", b"Bearer")],
        )


class BodyLimit:
    """Refuse request bodies larger than ``max_bytes`` with 413, reading no more than that, and bodies
    not received within ``max_seconds`` with 408 (a client that sends a byte now and then holds a
    connection and a task for as long as it likes otherwise)."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_seconds: float = 30.0):
        self.app = app
        self.max_bytes = max_bytes
        self.max_seconds = max_seconds

    def _too_large(self) -> str:
        return f"found a request body over {self.max_bytes:,} bytes; expected at most {self.max_bytes:,} bytes (this server's limit)"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await send_error(send, 400, "found an invalid Content-Length header; expected a whole number of bytes")
                    return
                if declared > self.max_bytes:
                    await send_error(send, 413, self._too_large())
                    return
        # Read the whole body up front (it is at most max_bytes), then replay it to the app.
        messages: list[dict[str, Any]] = []
        with anyio.move_on_after(self.max_seconds) as deadline:
            too_large = await self._read(receive, messages)
        if deadline.cancelled_caught:
            await send_error(send, 408, f"the request body did not arrive within {self.max_seconds:g} s; expected the whole body within {self.max_seconds:g} s (this server's limit)")
            return
        if too_large:
            await send_error(send, 413, self._too_large())
            return

        async def replay() -> dict[str, Any]:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _read(self, receive: Receive, messages: list[dict[str, Any]]) -> bool:
        """Collect the body's messages into ``messages``; True once they exceed the limit."""
        total = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                return False
            total += len(message.get("body", b""))
            if total > self.max_bytes:
                return True
            if not message.get("more_body", False):
                return False


LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def host_name(value: str) -> str:
    """The name in a Host header, lower case, without its port or a final dot (``[::1]:8000`` -> ``::1``)."""
    value = value.strip().lower()
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        return name if bracket and (not rest or (rest.startswith(":") and rest[1:].isdigit())) else ""
    name, _, port = value.partition(":")
    if port and not port.isdigit():
        return ""
    return name.removesuffix(".")


class HostGuard:
    """Requests must name this server in their Host header: a loopback name, the address they came in
    on, or a name the app was given; anything else gets 421.

    This stops DNS rebinding: a page on ``attacker.example`` whose name is re-pointed at 127.0.0.1
    reaches this server, but its requests carry ``Host: attacker.example``."""

    def __init__(self, app: ASGIApp, allowed: frozenset[str] = frozenset()):
        self.app = app
        self.allowed = LOOPBACK_NAMES | {host_name(name) or name for name in allowed}

    def accepts(self, scope: Scope) -> bool:
        given = [value for name, value in scope.get("headers", ()) if name == b"host"]
        if not given:
            return True  # HTTP/1.0 without Host: no browser sends that, so no rebinding either
        name = host_name(given[0].decode("latin-1"))
        server = scope.get("server") or ("", None)
        return bool(name) and len(given) == 1 and (name in self.allowed or name == str(server[0]).lower())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.accepts(scope):
            await self.app(scope, receive, send)
            return
        await send_error(
            send,
            421,
            "the Host header does not name this server; open it as http://127.0.0.1:PORT/ or http://localhost:PORT/ "
            "(or the address given to --host)",
        )


JSON_TYPES = frozenset({"application/json"})
YAML_TYPES = frozenset({"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"})
TEXT_PATHS = frozenset({"/api/parse"})
"""Routes that read a scenario file's text, which may be YAML as well as JSON."""


class ContentTypeGuard:
    """A request with a body must declare ``application/json`` (or, for a scenario file's text, a YAML
    type); anything else gets 415 before its body is read.

    A page on another site can send ``text/plain``, form data or no type at all without asking the
    browser's permission first; any other type makes the browser ask (a CORS preflight), which this
    server never grants, so such a page cannot make the server act."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        declared = next((value for name, value in scope.get("headers", ()) if name == b"content-type"), b"")
        media_type = declared.decode("latin-1").split(";", 1)[0].strip().lower()
        accepted = JSON_TYPES | YAML_TYPES if scope.get("path") in TEXT_PATHS else JSON_TYPES
        if media_type in accepted:
            await self.app(scope, receive, send)
            return
        found = f"Content-Type {media_type!r}" if media_type else "no Content-Type"
        await send_error(send, 415, f"found {found}; expected {' or '.join(sorted(accepted, key=lambda t: (t != 'application/json', t)))}")


class _NonFinite:
    """Where a JSON body held ``NaN``, ``Infinity``, ``-Infinity`` or a number too large for a float."""

    def __init__(self, literal: str):
        self.literal = literal


def _finite_or_marked(literal: str) -> float | _NonFinite:
    value = float(literal)
    return value if math.isfinite(value) else _NonFinite(literal)


def non_finite_numbers(body: bytes) -> list[tuple[str, str]]:
    """(path, message) for every number of a JSON body that is not finite. Python's JSON reader takes
    ``NaN`` and ``Infinity`` (which JSON does not have) and reads ``1e999`` as infinity; a range check
    passes NaN, since every comparison with it is false. A body that is not JSON gives no problems here
    (the route reports it)."""
    try:
        data = json.loads(body, parse_constant=_NonFinite, parse_float=_finite_or_marked)
    except (ValueError, RecursionError):
        return []
    problems: list[tuple[str, str]] = []
    stack: list[tuple[str, Any]] = [("", data)]
    while stack and len(problems) < 50:
        path, value = stack.pop()
        if isinstance(value, _NonFinite):
            problems.append((path, f"found {value.literal[:40]}; expected a finite number (JSON has no NaN or Infinity)"))
        elif isinstance(value, dict):
            stack += [(f"{path}.{key}" if path else str(key), item) for key, item in reversed(value.items())]
        elif isinstance(value, list):
            stack += [(f"{path}[{index}]", item) for index, item in reversed(list(enumerate(value)))]
    return problems


class FiniteJSON:
    """A JSON request body with a non-finite number gets 422 naming each one's path, before any route reads it."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        declared = next((value for name, value in scope.get("headers", ()) if name == b"content-type"), b"")
        if scope["type"] != "http" or declared.split(b";", 1)[0].strip().lower() not in (b"application/json",):
            await self.app(scope, receive, send)
            return
        messages, chunks = [], []
        while True:  # the body is already within the size limit (BodyLimit runs first)
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        problems = await anyio.to_thread.run_sync(non_finite_numbers, body)  # off the event loop: up to 2 MB of JSON
        if problems:
            await send_problems(send, 422, problems)
            return

        async def replay() -> dict[str, Any]:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

