"""The browser page, its script and style, Plotly's JavaScript for it, and the Swagger UI at ``/docs``.

The page has no inline script or style (its Content-Security-Policy allows
neither): ``/static/app.js`` (with the modules it imports) and ``/static/style.css``
are served files.
Files under ``/static/`` are the page's code, the same for everyone, so they
are served without the token (a ``<script src>`` cannot send one).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response

from truce import __version__
from truce.web.headers import docs_policy
from truce.web.static import FILES

STATIC_PACKAGE = "truce.web.static"
STATIC_FILES = FILES


def plotly_javascript() -> str:
    """The report's bundle (:mod:`truce.report.plotly_bundle`): Plotly's basic bundle, every trace type truce draws."""
    from truce.report.plotly_bundle import plotly_javascript as bundle

    return bundle()


@lru_cache(maxsize=1)
def page_html() -> str:
    return (resources.files(STATIC_PACKAGE) / "index.html").read_text(encoding="utf-8").replace("{{version}}", __version__)


@lru_cache(maxsize=len(STATIC_FILES))
def static_text(name: str) -> str:
    return (resources.files(STATIC_PACKAGE) / name).read_text(encoding="utf-8")


def add_page_routes(app: FastAPI, token: str | None) -> None:
    """``/``, the page's files under ``/static/``, ``/static/plotly.min.js`` and ``/docs`` (none in the OpenAPI)."""

    @app.get("/", include_in_schema=False)
    def page() -> HTMLResponse:
        return HTMLResponse(page_html(), headers={"Cache-Control": "no-store"})

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly() -> Response:
        return Response(plotly_javascript(), media_type="text/javascript; charset=utf-8", headers={"Cache-Control": "private, max-age=86400"})

    def serve_static(name: str):
        def route() -> Response:
            return Response(static_text(name), media_type=STATIC_FILES[name], headers={"Cache-Control": "no-cache"})

        return route

    for name in STATIC_FILES:
        app.add_api_route(f"/static/{name}", serve_static(name), methods=["GET"], include_in_schema=False)

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        # Only a server with a token passes it on (the guard has checked it by now), URL-quoted into the page.
        given = request.query_params.get("token") if token else None
        query = f"?token={quote(given, safe='')}" if given else ""
        page = get_swagger_ui_html(openapi_url=f"/openapi.json{query}", title="truce API")
        inline = re.findall(r"<script>(.*?)</script>", page.body.decode("utf-8"), flags=re.S)
        page.headers["Content-Security-Policy"] = docs_policy(inline[0] if inline else "")
        return page
