"""The browser page, Plotly's JavaScript for it, and the Swagger UI at ``/docs``."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response

from truce import __version__

STATIC_PACKAGE = "truce.web.static"


@lru_cache(maxsize=1)
def plotly_javascript() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


@lru_cache(maxsize=1)
def page_html() -> str:
    """The page with its style and script inlined: one request fetches it all."""
    static = resources.files(STATIC_PACKAGE)
    page = (static / "index.html").read_text(encoding="utf-8")
    style = (static / "style.css").read_text(encoding="utf-8")
    script = (static / "app.js").read_text(encoding="utf-8")
    page = page.replace("<!-- style -->", f"<style>\n{style}\n</style>")
    page = page.replace("<!-- script -->", f"<script>\n{script}\n</script>")
    return page.replace("{{version}}", __version__)


def add_page_routes(app: FastAPI, token: str | None) -> None:
    """``/``, ``/static/plotly.min.js`` and ``/docs`` (none of them in the OpenAPI description)."""

    @app.get("/", include_in_schema=False)
    def page() -> HTMLResponse:
        return HTMLResponse(page_html(), headers={"Cache-Control": "no-store"})

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly() -> Response:
        return Response(plotly_javascript(), media_type="application/javascript", headers={"Cache-Control": "private, max-age=86400"})

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        # Only a server with a token passes it on (the guard has checked it by now), URL-quoted into the page.
        given = request.query_params.get("token") if token else None
        query = f"?token={quote(given, safe='')}" if given else ""
        return get_swagger_ui_html(openapi_url=f"/openapi.json{query}", title="truce API")
