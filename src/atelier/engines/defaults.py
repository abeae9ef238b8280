"""The built-in route table. Every provider reads its key from the environment variable its
own documentation uses; a route whose providers have no key goes to the built-in design
engine, so with nothing configured every model name below (the seeds' names included)
renders with ``atelier-design`` and the response says so."""

from __future__ import annotations

from typing import Any

#: Seed 002's fallback chain, served through A4F's OpenAI-compatible API, in its order.
A4F_CHAIN = (
    "provider-5/flux-fast",
    "provider-4/flux-schnell",
    "provider-4/imagen-4",
    "provider-4/imagen-3.5",
    "provider-4/qwen-image",
    "provider-5/dall-e-2",
    "provider-5/imagen-4-fast",
)

#: Seed 003's fal model ids.
FAL_MODELS = (
    "fal-ai/flux/dev",
    "fal-ai/flux/schnell",
    "fal-ai/flux/dev/image-to-image",
    "fal-ai/flux-1/schnell/redux",
    "fal-ai/flux-pro/kontext",
    "fal-ai/flux-pro/kontext/max",
    "fal-ai/flux-kontext/dev",
    "fal-ai/flux-kontext-lora",
    "fal-ai/recraft/v3/text-to-image",
    "fal-ai/recraft/v3/image-to-image",
    "fal-ai/ideogram/v2",
    "fal-ai/ideogram/v3",
    "fal-ai/nano-banana",
    "fal-ai/wan/v2.2-5b/text-to-image",
)

PROVIDERS: dict[str, dict[str, Any]] = {
    "design": {"kind": "design", "requires_key": False},
    "openai": {"kind": "openai", "api_key_env": ["OPENAI_API_KEY"], "base_url_env": "OPENAI_BASE_URL"},
    "a4f": {
        "kind": "openai_compatible",
        "api_key_env": ["A4F_API_KEY"],
        "base_url": "https://api.a4f.co/v1",
        "base_url_env": "A4F_BASE_URL",
    },
    "gemini": {"kind": "gemini", "api_key_env": ["GEMINI_API_KEY", "GOOGLE_API_KEY"]},
    "fal": {"kind": "fal", "api_key_env": ["FAL_KEY"]},
    "replicate": {"kind": "replicate", "api_key_env": ["REPLICATE_API_TOKEN"]},
    "openrouter": {"kind": "openrouter", "api_key_env": ["OPENROUTER_API_KEY"]},
}


def _routes() -> dict[str, list[dict[str, Any]]]:
    routes: dict[str, list[dict[str, Any]]] = {}
    for model in ("gpt-image-1", "gpt-image-1-mini", "dall-e-2", "dall-e-3"):
        routes[model] = [{"provider": "openai", "model": model}]
    gemini_first = [
        {"provider": "gemini", "model": "gemini-2.5-flash-image"},
        {"provider": "openrouter", "model": "google/gemini-2.5-flash-image"},
    ]
    routes["gemini-2.5-flash-image"] = gemini_first
    routes["gemini-2.5-flash-image-preview"] = [{"provider": "gemini", "model": "gemini-2.5-flash-image-preview"}]
    routes["openrouter/gemini-2.5-flash-image"] = list(reversed(gemini_first))
    routes["imagen-4"] = [{"provider": "gemini", "model": "imagen-4.0-generate-001"}]
    routes["imagen-3"] = [{"provider": "gemini", "model": "imagen-3.0-generate-002"}]
    for index, model in enumerate(A4F_CHAIN):
        routes[model] = [{"provider": "a4f", "model": name} for name in A4F_CHAIN[index:]]
    for model in FAL_MODELS:
        routes[model] = [{"provider": "fal", "model": model}]
    return routes


def default_document() -> dict[str, Any]:
    return {
        "providers": {name: dict(conf) for name, conf in PROVIDERS.items()},
        "routes": _routes(),
        "builtin_models": ["atelier-design"],
        "default_engine": "design",
    }
