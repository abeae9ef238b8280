from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from atelier.settings import PolicyCategory, PolicyDecision

Threshold = Field(None, ge=0, le=1)


class PolicyIn(BaseModel):
    """An organization's override: each field left out inherits the default (settings)."""

    model_config = ConfigDict(extra="forbid")
    categories: dict[PolicyCategory, PolicyDecision] = Field(
        default_factory=dict, description="Category → block, flag or allow"
    )
    text_threshold: float | None = Threshold
    profanity_threshold: float | None = Threshold
    image_threshold: float | None = Threshold
    blocked_terms: dict[PolicyCategory, list[str]] = Field(
        default_factory=dict, description="Category → more block-list terms (whole words, case-insensitive)"
    )


class PolicyOut(BaseModel):
    organization_id: str
    #: ``default`` (the settings') or ``organization`` (an override is stored).
    source: str
    categories: dict[PolicyCategory, PolicyDecision]
    text_threshold: float
    profanity_threshold: float
    image_threshold: float
    blocked_terms: dict[PolicyCategory, list[str]]
    moderation_endpoint: bool = Field(description="Whether a moderation endpoint is asked about prompts as well")
    checks: list[str] = Field(description="The checks this policy runs")
