"""The OpenAPI document, finished: problem responses, security where it applies, exact headers.

FastAPI's generated document says what the routes declare; this adds what the middleware and the
global dependencies do, so that clients generated from it, and the fuzzer that tests against it,
see the API as it behaves: every error as ``application/problem+json``, the statuses any request
may meet (429 rate limit, 503 database down, 413 body too large), the key needed only where it is
needed, and ``If-Match`` required where changes demand it.
"""

import json
import re
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.api.auth import PUBLIC_PATHS
from app.api.keys import KEYS_PREFIX
from app.api.responses import GENERIC_PROBLEMS
from app.config import Settings
from app.errors import PROBLEM_MEDIA_TYPE

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "An RFC 9457 problem detail.",
    "properties": {
        "type": {"type": "string", "description": "A stable identifier of the problem type."},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "For validation errors: each offending field.",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "in": {"type": "string"},
                    "message": {"type": "string"},
                    "code": {"type": "string"},
                },
            },
        },
    },
    "required": ["type", "title", "status"],
}
SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer", "description": "`Authorization: Bearer kb_…`"},
    "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
}
BODY_METHODS = {"post", "put", "patch"}
PAGE_NAME = re.compile(r"Page_(\w+)_")


def install_openapi(app: FastAPI, settings: Settings) -> None:
    """Replace ``app.openapi`` with one that finishes the generated document, once."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
            )
            app.openapi_schema = finish(schema, settings)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def finish(schema: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """Problems, security and headers added to every operation of ``schema``."""
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    components["securitySchemes"] = SECURITY_SCHEMES
    paths = schema.get("paths", {})
    for path, operations in paths.items():
        for method, operation in operations.items():
            _finish_operation(path, method, operation, settings)
    _add_links(paths)
    return _name_pages(schema)


def _name_pages(schema: dict[str, Any]) -> dict[str, Any]:
    """`SearchHitPage` rather than pydantic's `Page_SearchHit_`, for generated clients."""
    names = schema["components"]["schemas"]
    renames = {old: f"{match[1]}Page" for old in names if (match := PAGE_NAME.fullmatch(old))}
    text = json.dumps(schema)
    for old, new in renames.items():
        text = text.replace(f'"#/components/schemas/{old}"', f'"#/components/schemas/{new}"')
    renamed: dict[str, Any] = json.loads(text)
    components = renamed["components"]["schemas"]
    for old, new in renames.items():
        components[new] = components.pop(old)
    return renamed


def _add_links(paths: dict[str, Any]) -> None:
    """OpenAPI links from each create (and update) to what can be done with the item next.

    They document the workflow (the new item's id, and its ETag as the ``If-Match`` of a change)
    and let stateful testing chain create, read, update and delete.
    """
    for collection, operations in paths.items():
        if "post" not in operations:
            continue
        followers = [
            (path, method, operation)
            for path, item_operations in paths.items()
            if path.startswith(collection + "/{") and path.count("{") == 1
            for method, operation in item_operations.items()
        ]
        sources = [operations["post"]["responses"]["201"]]
        sources += [op["responses"]["200"] for _, m, op in followers if m == "patch"]
        for response in sources:
            links = response.setdefault("links", {})
            for path, _method, operation in followers:
                name = path[path.index("{") + 1 : path.index("}")]
                parameters = {f"path.{name}": "$response.body#/id"}
                for parameter in operation.get("parameters", []):
                    if parameter["in"] == "header" and parameter["name"].lower() == "if-match":
                        parameters[f"header.{parameter['name']}"] = "$response.header.ETag"
                links[operation["operationId"]] = {
                    "operationId": operation["operationId"],
                    "parameters": parameters,
                }


def _finish_operation(
    path: str, method: str, operation: dict[str, Any], settings: Settings
) -> None:
    responses = operation.setdefault("responses", {})
    parameters = operation.get("parameters", [])
    wanted = [422, 429, 503]
    if method in BODY_METHODS:
        wanted += [400, 413]
    if "{" in path or any(p["name"] == "id" for p in parameters):
        wanted.append(404)
    # The same rule app/api/auth.py applies: writes, key management, and reads if so configured.
    needs_key = method != "get" or path.startswith(KEYS_PREFIX) or settings.require_key_for_reads
    operation.pop("security", None)
    if needs_key and not path.startswith(PUBLIC_PATHS):
        operation["security"] = [{"bearer": []}, {"apiKey": []}]
        wanted += [401, 403]
    for status in wanted:
        responses.setdefault(str(status), GENERIC_PROBLEMS[status])
    for status, response in responses.items():
        content = response.get("content", {})
        if status.isdigit() and int(status) >= 400 and PROBLEM_MEDIA_TYPE not in content:
            response["content"] = {
                PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
            }
    for parameter in parameters:
        if parameter["in"] == "header" and parameter["name"].lower() == "if-match":
            parameter["required"] = True  # a change without it is refused with 428
