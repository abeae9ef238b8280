"""The manifest definition Atelier signs into each image.

A fresh image gets a ``c2pa.created`` action with the IPTC digital source type that is true
for its engine, Atelier as the software agent and the engine and model names as parameters.
An image a provider already signed keeps the provider's manifest as its parent ingredient:
Atelier's own manifest then says it *opened* that file (and *converted* it when it was
re-encoded to the requested format), and the provider's ``c2pa.created`` stays the one that
says how the image was made — Atelier never claims it created what a provider did."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from atelier import __version__
from atelier.engines.sources import digital_source_type

if TYPE_CHECKING:
    from atelier.engines.base import GeneratedImage
    from atelier.engines.runner import RunOutcome

CLAIM_GENERATOR = "Atelier"
#: Atelier's own assertion: what ran, for whom nothing (no account, price or prompt).
GENERATION_LABEL = "ai.atelier.generation"
UPSTREAM_LABEL = "upstream"


@dataclass(frozen=True)
class Facts:
    """What the manifest states about one stored image."""

    asset_id: str
    job_id: str
    fmt: str
    #: The adapter that ran (``atelier-design``, ``openai/gpt-image-1``, …).
    engine: str
    #: The route's deployment that ran.
    deployment: str
    #: The model that made the image (the upstream model for providers).
    model: str
    #: The model name the client asked for.
    requested_model: str | None = None
    #: Only ever what the engine reported (Gemini's SynthID watermark); never guessed.
    synthid: bool = False

    @property
    def source_type(self) -> str:
        return digital_source_type(self.engine)


def _agent() -> dict[str, str]:
    return {"name": CLAIM_GENERATOR, "version": __version__}


def _generation(facts: Facts) -> dict[str, Any]:
    data: dict[str, Any] = {
        "engine": facts.engine,
        "deployment": facts.deployment,
        "model": facts.model,
        "job_id": facts.job_id,
        "asset_id": facts.asset_id,
        "synthid": facts.synthid,
    }
    if facts.requested_model:
        data["requested_model"] = facts.requested_model
    return {"label": GENERATION_LABEL, "data": data}


def _parameters(facts: Facts) -> dict[str, Any]:
    return {"engine": facts.engine, "model": facts.model, "deployment": facts.deployment}


def created(facts: Facts) -> dict[str, Any]:
    """A manifest for an image Atelier's engine made from nothing but the request."""
    action = {
        "action": "c2pa.created",
        "digitalSourceType": facts.source_type,
        "softwareAgent": _agent(),
        "parameters": _parameters(facts),
    }
    return _definition(facts, [action])


def derived(facts: Facts, *, converted: bool) -> dict[str, Any]:
    """A manifest for a provider's already-signed image, whose manifest becomes the parent
    ingredient labelled :data:`UPSTREAM_LABEL`."""
    actions: list[dict[str, Any]] = [
        {
            "action": "c2pa.opened",
            "softwareAgent": _agent(),
            "parameters": {**_parameters(facts), "ingredientIds": [UPSTREAM_LABEL]},
        }
    ]
    if converted:
        actions.append(
            {"action": "c2pa.converted", "softwareAgent": _agent(), "parameters": {"format": f"image/{facts.fmt}"}}
        )
    return _definition(facts, actions)


def upstream_ingredient(title: str) -> dict[str, Any]:
    return {"title": title, "relationship": "parentOf", "label": UPSTREAM_LABEL}


def _definition(facts: Facts, actions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "claim_generator_info": [_agent()],
        "title": f"{facts.asset_id}.{facts.fmt}",
        "format": f"image/{facts.fmt}",
        "assertions": [{"label": "c2pa.actions", "data": {"actions": actions}}, _generation(facts)],
    }


def facts_of(
    job_id: str, asset_id: str, requested_model: str | None, outcome: RunOutcome, image: GeneratedImage
) -> Facts:
    return Facts(
        asset_id=asset_id,
        job_id=job_id,
        fmt=image.format.value,
        engine=outcome.engine,
        deployment=outcome.deployment,
        model=outcome.result.model,
        requested_model=requested_model,
        synthid=image.synthid,
    )
