from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, WithJsonSchema

from atelier.design.brief import DESIGN_TYPES, TYPE_ALIASES, normalize_design_type

#: A design type the design engine knows, or one of its aliases (Pixova's ``flyer`` …): an
#: unknown one is a 422 naming ``design_type`` at submit, not a job that fails later.
DesignType = Annotated[
    str,
    Field(max_length=40),
    AfterValidator(normalize_design_type),
    WithJsonSchema({"type": "string", "enum": [*DESIGN_TYPES, *TYPE_ALIASES]}),
]


class ConstraintsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    palette_hex: list[str] = Field(default_factory=list, max_length=12)
    fonts: list[str] = Field(default_factory=list, max_length=6)
    logo_safe_zone_pct: float = Field(0, ge=0, le=40)


class GenerationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    prompt: str = Field(min_length=1, max_length=4000)
    negative_prompt: str | None = Field(None, max_length=2000)
    model: str = "atelier-design"
    n: int = Field(1, ge=1, le=10)
    size: str | None = Field(None, description="WIDTHxHEIGHT, 64-2048 per side")
    aspect_ratio: str | None = Field(None, description="Preset such as 1:1, 16:9, 3:4")
    format: str = Field("png", description="png, jpeg or webp")
    seed: int | None = Field(None, ge=0, le=2**32 - 1)
    guidance: float | None = Field(None, ge=0, le=30)
    steps: int | None = Field(None, ge=1, le=150)
    quality: str | None = Field(None, pattern="^(standard|high|ultra|low|medium|auto|hd)$")
    style: str | None = Field(None, max_length=40)
    design_type: DesignType | None = None
    background: str | None = Field(None, pattern="^(transparent|opaque|auto)$")
    references: list[str] = Field(default_factory=list, max_length=8, description="http(s) URLs or data: URLs")
    project: str | None = None
    constraints: ConstraintsIn | None = None
    webhook_url: HttpUrl | None = None


class AssetOut(BaseModel):
    id: str
    url: str
    format: str
    width: int
    height: int
    bytes: int
    project_id: str
    job_id: str
    favorite: bool
    public: bool
    created_at: datetime
    spec: dict[str, Any] | None = None
    synthid: bool = False
    thumbnail_url: str | None = Field(None, description="A small WebP of the image (null when none could be made)")
    share_url: str | None = Field(None, description="The public page of a published asset (null while private)")
    prompt: str | None = Field(None, description="The prompt of the job that made it")
    model: str | None = Field(None, description="The model of the job that made it")
    content_flag: str | None = Field(
        None, description="Content-policy categories the image was flagged for (a flagged image is never public)"
    )


class GenerationOut(BaseModel):
    id: str
    status: str
    progress: float
    model: str
    engine: str | None
    project_id: str
    n: int
    size: str
    format: str
    cost_usd: str
    attempts: list[dict[str, Any]]
    error: dict[str, Any] | None
    notes: list[str]
    fidelity: list[dict[str, Any]]
    content_checks: dict[str, Any] | None = Field(
        None, description="What the content policy checked (prompt, images): decision, checks run and skipped"
    )
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    assets: list[AssetOut]
