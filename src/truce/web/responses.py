"""The API's JSON responses and its one error shape: ``{"detail": [{"path": ..., "message": ...}]}``."""

from __future__ import annotations

import json
from typing import Any

from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from truce.json_safe import finite
from truce.scenario.messages import describe, format_path
from truce.scenario.schema import Findings

MAX_PROBLEMS = 50
"""Problems listed in one error response; the count of the rest is given."""


class SafeJSONResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return json.dumps(finite(content), ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def problems_response(status: int, problems: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> SafeJSONResponse:
    problems = list(problems)
    listed = [{"path": path, "message": message} for path, message in problems[:MAX_PROBLEMS]]
    if len(problems) > MAX_PROBLEMS:
        listed.append({"path": "", "message": f"... and {len(problems) - MAX_PROBLEMS} more problems"})
    return SafeJSONResponse({"detail": listed}, status_code=status)


def _join(prefix: str, path: str) -> str:
    if not prefix:
        return path
    if not path:
        return prefix
    return prefix + path if path.startswith("[") else f"{prefix}.{path}"


def request_problems(error: RequestValidationError) -> list[tuple[str, str]]:
    """FastAPI's validation errors as (path inside the body, message), in the scenario loader's wording
    (:func:`truce.scenario.messages.describe`: every message says what was found and what was expected)."""
    problems, items = [], []
    for item in error.errors():
        location = tuple(item.get("loc", ()))
        where = location[0] if location else "body"
        location = location[1:] if where in ("body", "query", "path", "header") else location
        if item.get("type") == "json_invalid":
            reason = (item.get("ctx") or {}).get("error", item.get("msg", "invalid"))
            problems.append(("", f"invalid JSON: {reason}; expected a JSON body"))
            continue
        context = (item.get("ctx") or {}).get("error")
        if isinstance(context, Findings):
            prefix = format_path(location)
            problems += [(_join(prefix, path), message) for path, message in context.findings]
            continue
        if item.get("type") == "extra_forbidden":
            problems.append((format_path(location), "found an unknown field; expected only the fields of the schema (GET /openapi.json; check the spelling)"))
            continue
        items.append(dict(item, loc=location))
    return problems + list(describe(items, getattr(error, "body", None)))
