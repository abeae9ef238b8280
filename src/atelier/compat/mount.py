"""Mounts every seed contract under ``/compat/<name>`` with its own error body shape."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from atelier.compat import errors, health
from atelier.compat.dreamy_studio.gallery import router as dreamy_gallery
from atelier.compat.dreamy_studio.generate import router as dreamy_generate
from atelier.compat.dreamy_studio.profile import router as dreamy_profile
from atelier.compat.dreamy_studio.webhooks import router as dreamy_webhooks
from atelier.compat.nanobanana.accounts import router as nanobanana_accounts
from atelier.compat.nanobanana.generate import router as nanobanana_generate
from atelier.compat.nanobanana.profile import router as nanobanana_profile
from atelier.compat.nanobanana.usage import router as nanobanana_usage
from atelier.compat.nanodesigner.render import router as nanodesigner_render
from atelier.compat.pixova.routes import router as pixova_routes
from atelier.compat.prompt_to_json.routes import router as prompt_to_json_routes
from atelier.kit.error_docs import ErrorDoc, register_error_doc
from atelier.kit.handlers import Renderer, register_error_renderer

PREFIX = "/compat"


def _contracts() -> dict[str, tuple[list[APIRouter], Renderer, ErrorDoc]]:
    return {
        "nanodesigner": (
            [health.nanodesigner_router(), nanodesigner_render],
            errors.detail_renderer(validation_status=422, status_map={"BUDGET_EXCEEDED": 422}),
            errors.detail_doc("NanoDesignerError", 422),
        ),
        "prompt-to-json": (
            [prompt_to_json_routes],
            errors.detail_renderer(
                validation_status=400,
                with_trace=False,
                plain_rate_limit=True,
                code_map={
                    "UNAUTHORIZED": "AUTHENTICATION_ERROR",
                    "INVALID_API_KEY": "AUTHENTICATION_ERROR",
                    "API_KEY_REVOKED": "AUTHENTICATION_ERROR",
                    "API_KEY_EXPIRED": "AUTHENTICATION_ERROR",
                    "INVALID_TOKEN": "AUTHENTICATION_ERROR",
                    "TOKEN_EXPIRED": "AUTHENTICATION_ERROR",
                    "INVALID_AUTH_HEADER": "AUTHENTICATION_ERROR",
                    "RATE_LIMIT_EXCEEDED": "RATE_LIMIT_ERROR",
                },
            ),
            errors.detail_doc("PromptToJsonError", 400),
        ),
        "pixova": ([health.pixova_router(), pixova_routes], errors.pixova_renderer, errors.PIXOVA_DOC),
        "dreamy-studio": (
            [health.dreamy_router(), dreamy_profile, dreamy_generate, dreamy_gallery, dreamy_webhooks],
            errors.envelope_renderer,
            errors.ENVELOPE_DOC,
        ),
        "nanobanana": (
            [
                health.nanobanana_router(),
                nanobanana_accounts,
                nanobanana_profile,
                nanobanana_generate,
                nanobanana_usage,
            ],
            errors.plain_detail_renderer,
            errors.PLAIN_DETAIL_DOC,
        ),
    }


def include_compat(app: FastAPI) -> None:
    for name, (routers, renderer, doc) in _contracts().items():
        prefix = f"{PREFIX}/{name}"
        register_error_renderer(prefix, renderer)
        register_error_doc(prefix, doc)
        for router in routers:
            app.include_router(router, prefix=prefix, tags=[f"compat: {name}"])
