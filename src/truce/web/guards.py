"""ASGI guards in front of the app: the access token and the request body size.

Both answer before any route runs, so a request without the token, or with
a body over the limit, costs the server almost nothing: the body of an
unauthorised request is never read, and an oversized body is never read
past the limit.
"""

from __future__ import annotations

import hmac
import json
from typing import Any, Awaitable, Callable
from urllib.parse import parse_qs

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PAGE_PATHS = frozenset({"/", "/docs", "/openapi.json"})
"""Pages a browser opens by address: a GET of these may carry the token as ``?token=`` instead of the header."""


async def send_error(send: Send, status: int, message: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    """Answer with the API's error shape: ``{"detail": [{"path": "", "message": ...}]}``."""
    body = json.dumps({"detail": [{"path": "", "message": message}]}).encode("utf-8")
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
            "(in a browser, open the page as /?token=TOKEN)",
            [(b"www-authenticate", b"Bearer")],
        )


class BodyLimit:
    """Refuse request bodies larger than ``max_bytes`` with 413, reading no more than that."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    def _too_large(self) -> str:
        return f"request body exceeds {self.max_bytes:,} bytes, this server's limit"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await send_error(send, 400, "invalid Content-Length header")
                    return
                if declared > self.max_bytes:
                    await send_error(send, 413, self._too_large())
                    return
        # Read the whole body up front (it is at most max_bytes), then replay it to the app.
        messages = []
        total = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            total += len(message.get("body", b""))
            if total > self.max_bytes:
                await send_error(send, 413, self._too_large())
                return
            if not message.get("more_body", False):
                break

        async def replay() -> dict[str, Any]:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)
