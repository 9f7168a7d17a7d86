"""Security headers on every response, and the Content-Security-Policy of each kind of page.

The page at ``/`` has no inline script or style: its script and style are
served files under ``/static/``, so its policy allows scripts and styles
from this server only. The exceptions are Plotly's: it adds its own CSS rules at
run time into an empty ``<style>`` element through the CSSOM
(``insertRule``), and CSP checks only the element's text, which is empty;
and a bundle with map traces inserts, as it loads, one fixed stylesheet
(MapLibre's) as inline text (the basic bundle served now has none). The
policy allows exactly those texts by their hashes, read from the bundle
served, and no other inline ``<style>``; it allows style attributes, which Plotly sets
on the SVG it draws. Scripts come from this server only, never inline and
never through ``eval``.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from typing import Any

from truce.web.guards import ASGIApp, Receive, Scope, Send


def source_hash(text: str) -> str:
    """A CSP hash source (``'sha256-...'``) that allows exactly this inline text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


EMPTY_STYLE = source_hash("")
"""Plotly's empty ``<style id="plotly.js-style-global">`` element, which it fills through the CSSOM."""

_PLOTLY_STYLE = re.compile(r'getElementById\("([0-9a-f]{64})"\)\)\{var (\w)=document\.createElement\("style"\);\2\.id="\1",\2\.textContent=`([^`$\\]*)`')
"""Where Plotly's bundle adds a fixed stylesheet as an inline ``<style>`` when it loads (MapLibre's CSS)."""


@lru_cache(maxsize=1)
def plotly_style_hashes() -> tuple[str, ...]:
    """The hash of each fixed stylesheet Plotly's bundle inserts inline as it loads, read from the bundle
    this server sends (so the policy follows the installed Plotly; the browser test checks it)."""
    from truce.web.page import plotly_javascript

    return tuple(source_hash(match.group(3)) for match in _PLOTLY_STYLE.finditer(plotly_javascript()))


@lru_cache(maxsize=1)
def page_policy() -> str:
    """The policy of every response but ``/docs``: the page satisfies it, and a JSON or error
    response loads nothing at all (it has no script, style or image to allow)."""
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            " ".join(["style-src 'self'", EMPTY_STYLE, *plotly_style_hashes()]),
            # Plotly (through d3) sets style attributes on the SVG it draws; an attribute cannot run
            # script, and any url() in it is still held to img-src and font-src.
            "style-src-attr 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


SWAGGER_CDN = "https://cdn.jsdelivr.net"


def docs_policy(inline_script: str) -> str:
    """The policy of ``/docs``: FastAPI's Swagger UI page loads its script and style from the
    jsDelivr CDN and starts with one inline script, allowed here by its hash."""
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {SWAGGER_CDN} {source_hash(inline_script)}",
            f"style-src {SWAGGER_CDN} 'unsafe-inline'",  # Swagger UI styles its widgets through style attributes
            f"img-src 'self' data: {SWAGGER_CDN} https://fastapi.tiangolo.com",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


REPORT_POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'"
"""The report is a download (``Content-Disposition: attachment``); should a browser show it from
this server anyway, it runs sandboxed, in an origin of its own, with nothing allowed."""

HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
"""Sent on every response: no framing (clickjacking), no content sniffing, no address (which may
hold the token) in the Referer of a link followed from the page, no other site's window or page
holding a reference to this one or loading its responses."""


class SecurityHeaders:
    """Add the security headers, and :func:`page_policy` unless a route set its own policy."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in HEADERS if name not in present]
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", page_policy().encode("ascii")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
