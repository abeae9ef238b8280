"""Every route's error responses in the OpenAPI document, in the body shape its contract
renders (the renderer registered for its path prefix, see :mod:`atelier.kit.handlers`).

FastAPI documents only a 422 ``HTTPValidationError`` that no route of Atelier ever sends.
This replaces it, per route, by the contract's validation status and body, and documents
every other error status (401, 403, 404, 409, 429 …) as the contract's ``default`` response,
so a client, and schemathesis, can check any answer against the document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

JsonSchema = dict[str, Any]

NATIVE_ERROR: JsonSchema = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "trace_id"],
            "properties": {
                "code": {"type": "string", "description": "Stable error code, e.g. VALIDATION_ERROR"},
                "message": {"type": "string"},
                "trace_id": {"type": "string", "description": "The request id (X-Request-ID)"},
                "details": {"type": "object"},
            },
        }
    },
}


@dataclass(frozen=True)
class ErrorDoc:
    name: str
    schema: JsonSchema
    validation_status: int = 422


_docs: dict[str, ErrorDoc] = {}
NATIVE = ErrorDoc("Error", NATIVE_ERROR)


def register_error_doc(path_prefix: str, doc: ErrorDoc) -> None:
    """Routes under ``path_prefix`` document ``doc`` (longest prefix wins), like the renderer."""
    _docs[path_prefix] = doc


def doc_for(path: str) -> ErrorDoc:
    for prefix in sorted(_docs, key=len, reverse=True):
        if path.startswith(prefix):
            return _docs[prefix]
    return NATIVE


def _response(doc: ErrorDoc, description: str) -> JsonSchema:
    ref = {"$ref": f"#/components/schemas/{doc.name}"}
    return {"description": description, "content": {"application/json": {"schema": ref}}}


def add_error_responses(document: JsonSchema) -> None:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for path, operations in document.get("paths", {}).items():
        doc = doc_for(path)
        schemas[doc.name] = doc.schema
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            if "422" in responses and doc.validation_status != 422:
                del responses["422"]
            responses[str(doc.validation_status)] = _response(doc, "The request is invalid (each field named)")
            responses["default"] = _response(doc, "Any other error, in this contract's error body")


def document_errors(app: FastAPI) -> None:
    """Post-process ``app.openapi()`` once, when the document is first built."""
    build: Callable[[], JsonSchema] = app.openapi

    def openapi() -> JsonSchema:
        if app.openapi_schema is None:
            add_error_responses(build())
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
