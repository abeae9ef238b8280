"""Provider adapters by kind. A new provider is one module plus one line in
:data:`PROVIDER_FACTORIES`. Modules are imported on first use, so an install without the
``local-models`` extra never imports torch."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from atelier.engines.base import Engine
from atelier.engines.providers.hosted import EngineSpec


class ProviderKind(StrEnum):
    DESIGN = "design"
    OPENAI = "openai"
    OPENAI_COMPATIBLE = "openai_compatible"
    GEMINI = "gemini"
    FAL = "fal"
    REPLICATE = "replicate"
    OPENROUTER = "openrouter"
    DIFFUSERS = "diffusers"


def _design(spec: EngineSpec) -> Engine:
    from atelier.engines.design_engine import DesignEngine

    engine: Engine = DesignEngine()
    return engine


def _openai(spec: EngineSpec) -> Engine:
    from atelier.engines.providers.openai_images import OpenAIImagesEngine

    return OpenAIImagesEngine(spec)


def _gemini(spec: EngineSpec) -> Engine:
    from atelier.engines.providers.gemini import GeminiEngine

    return GeminiEngine(spec)


def _fal(spec: EngineSpec) -> Engine:
    from atelier.engines.providers.fal import FalEngine

    return FalEngine(spec)


def _replicate(spec: EngineSpec) -> Engine:
    from atelier.engines.providers.replicate import ReplicateEngine

    return ReplicateEngine(spec)


def _openrouter(spec: EngineSpec) -> Engine:
    from atelier.engines.providers.openrouter import OpenRouterEngine

    return OpenRouterEngine(spec)


def _diffusers(spec: EngineSpec) -> Engine:
    from atelier.engines.providers.diffusers_local import DiffusersEngine

    return DiffusersEngine(spec)


PROVIDER_FACTORIES: dict[str, Callable[[EngineSpec], Engine]] = {
    ProviderKind.DESIGN: _design,
    ProviderKind.OPENAI: _openai,
    ProviderKind.OPENAI_COMPATIBLE: _openai,
    ProviderKind.GEMINI: _gemini,
    ProviderKind.FAL: _fal,
    ProviderKind.REPLICATE: _replicate,
    ProviderKind.OPENROUTER: _openrouter,
    ProviderKind.DIFFUSERS: _diffusers,
}

#: Kinds that run without an API key.
KEYLESS_KINDS = frozenset({ProviderKind.DESIGN, ProviderKind.DIFFUSERS})


def build_engine(kind: str, spec: EngineSpec) -> Engine:
    try:
        factory = PROVIDER_FACTORIES[kind]
    except KeyError:
        known = ", ".join(sorted(PROVIDER_FACTORIES))
        raise ValueError(f"Unknown provider kind '{kind}' (known: {known})") from None
    return factory(spec)


__all__ = ["KEYLESS_KINDS", "PROVIDER_FACTORIES", "EngineSpec", "ProviderKind", "build_engine"]
