"""The API's JSON responses and its one error shape: ``{"detail": [{"path": ..., "message": ...}]}``."""

from __future__ import annotations

import json
from typing import Any

from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from truce.json_safe import finite
from truce.scenario.loading import format_path
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
    """FastAPI's validation errors as (path inside the body, message), in the scenario loader's wording."""
    problems = []
    for item in error.errors():
        location = tuple(item.get("loc", ()))
        where = location[0] if location else "body"
        location = location[1:] if where in ("body", "query", "path", "header") else location
        prefix = format_path(location)
        context = (item.get("ctx") or {}).get("error")
        if isinstance(context, Findings):
            problems += [(_join(prefix, path), message) for path, message in context.findings]
            continue
        kind = item.get("type", "")
        message = str(item.get("msg", "invalid")).removeprefix("Value error, ")
        if kind == "json_invalid":
            problems.append(("", f"invalid JSON: {(item.get('ctx') or {}).get('error', message)}"))
        elif kind == "missing":
            problems.append((prefix, "missing; this field is required"))
        elif kind == "extra_forbidden":
            problems.append((prefix, "unknown field; check its spelling against the schema (GET /openapi.json)"))
        else:
            found = repr(item.get("input"))
            found = found if len(found) <= 60 else found[:57] + "..."
            problems.append((prefix, message if message.startswith("found ") else f"found {found}; {message[:1].lower()}{message[1:]}"))
    return problems
