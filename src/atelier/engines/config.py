"""The routes file: providers (kind, credentials by environment variable name, base URL) and
routes (public model name → ordered deployments), plus retry and breaker policy.

Loaded from YAML (``.yaml``/``.yml``), TOML (``.toml``) or JSON, merged over the built-in
table (:mod:`atelier.engines.defaults`), then a JSON override (``ATELIER_ENGINES__ROUTES_JSON``)
is merged over that. Files name the environment variable holding a key, never the key."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from atelier.engines.base import Task
from atelier.engines.pricing import PriceTable, TokenRates


class ProviderConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(
        description="Adapter: openai, openai_compatible, gemini, fal, replicate, openrouter, diffusers, design."
    )
    #: Environment variables tried in order for the API key.
    api_key_env: list[str] = Field(default_factory=list)
    requires_key: bool = True
    base_url: str | None = None
    #: Environment variable that, when set, replaces ``base_url`` (seed 002's ``A4F_BASE_URL``).
    base_url_env: str | None = None
    timeout: float = Field(120.0, gt=0)
    options: dict[str, Any] = Field(default_factory=dict)

    @field_validator("api_key_env", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class DeploymentConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    provider: str
    #: Upstream model id; defaults to the route's public name.
    model: str | None = None
    #: Deployment name in attempts and responses; defaults to ``provider/model``.
    name: str | None = None
    timeout: float | None = Field(None, gt=0)
    rpm: int | None = Field(None, ge=1)
    #: A flat price per image, or ``{"1024x1024/high": 0.17, "*": 0.04, "per_megapixel": …}``.
    prices: float | str | dict[str, Any] | None = None
    token_rates: dict[str, float] | None = None
    #: Restricts (or declares) what the deployment can do, e.g. ``["generate"]``.
    tasks: list[Task] | None = None
    max_n: int | None = Field(None, ge=1)
    options: dict[str, Any] = Field(default_factory=dict)

    def price_table(self) -> PriceTable | None:
        return PriceTable.parse(self.prices) if self.prices is not None else None

    def rates(self) -> TokenRates | None:
        if not self.token_rates:
            return None
        from decimal import Decimal

        raw = self.token_rates
        image = raw.get("image_input")
        return TokenRates(
            text_input=Decimal(str(raw.get("text_input", 0))),
            output=Decimal(str(raw.get("output", 0))),
            image_input=Decimal(str(image)) if image is not None else None,
        )


class RetryConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_attempts: int = Field(3, ge=1, le=10, description="Tries per deployment (first call included).")
    backoff_base: float = Field(0.5, ge=0, description="First backoff in seconds; doubles each retry.")
    backoff_max: float = Field(8.0, ge=0)
    jitter: float = Field(0.25, ge=0, le=1, description="Up to this fraction is added at random to each backoff.")
    max_retry_after: float = Field(
        30.0, ge=0, description="A Retry-After longer than this moves on to the next deployment instead of waiting."
    )


class BreakerConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    failure_threshold: int = Field(5, ge=1)
    cooldown_seconds: float = Field(30.0, ge=0)


class RoutesConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    providers: dict[str, ProviderConfig] = Field(default_factory=dict)
    routes: dict[str, list[DeploymentConfig]] = Field(default_factory=dict)
    #: Model names that go straight to the default engine (no provider needed).
    builtin_models: list[str] = Field(default_factory=list)
    #: Where a route goes when none of its deployments has credentials.
    default_engine: str = "design"
    retry: RetryConfig = Field(default_factory=RetryConfig)
    breaker: BreakerConfig = Field(default_factory=BreakerConfig)


class RoutesFileError(ValueError):
    pass


def read_document(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RoutesFileError(f"Cannot read routes file {path}: {exc.strerror}") from exc
    suffix = path.suffix.lower()
    try:
        if suffix in {".yaml", ".yml"}:
            import yaml

            data = yaml.safe_load(text) or {}
        elif suffix == ".toml":
            data = tomllib.loads(text)
        else:
            data = json.loads(text)
    except Exception as exc:  # each parser has its own error type; all mean "not valid"
        raise RoutesFileError(f"Routes file {path} is not valid {suffix.lstrip('.') or 'JSON'}: {exc}") from exc
    if not isinstance(data, dict):
        raise RoutesFileError(f"Routes file {path} must hold a mapping at the top level")
    return data


def merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Providers, retry and breaker merge key by key; a route in the override replaces the
    whole deployment list of that model (order matters, so lists are never merged)."""
    out = dict(base)
    for key, value in override.items():
        if key in {"providers", "retry", "breaker"} and isinstance(value, Mapping):
            section = dict(out.get(key) or {})
            for name, item in value.items():
                if key == "providers" and isinstance(item, Mapping) and isinstance(section.get(name), Mapping):
                    section[name] = {**section[name], **item}
                else:
                    section[name] = item
            out[key] = section
        elif key == "routes" and isinstance(value, Mapping):
            out[key] = {**(out.get(key) or {}), **value}
        else:
            out[key] = value
    return out


def load_routes_config(
    path: Path | str | None = None,
    override_json: str | None = None,
    *,
    base: Mapping[str, Any] | None = None,
) -> RoutesConfig:
    """The effective routes config: built-in table ← file ← JSON override."""
    from atelier.engines.defaults import default_document

    document: dict[str, Any] = dict(base) if base is not None else default_document()
    if path:
        document = merge(document, read_document(Path(path)))
    if override_json:
        try:
            override = json.loads(override_json)
        except json.JSONDecodeError as exc:
            raise RoutesFileError(f"ATELIER_ENGINES__ROUTES_JSON is not valid JSON: {exc.msg}") from exc
        if not isinstance(override, dict):
            raise RoutesFileError("ATELIER_ENGINES__ROUTES_JSON must be a JSON object")
        document = merge(document, override)
    try:
        config = RoutesConfig.model_validate(document)
    except ValidationError as exc:
        raise RoutesFileError(f"Invalid routes configuration: {exc}") from exc
    for model, deployments in config.routes.items():
        for deployment in deployments:
            if deployment.provider not in config.providers:
                raise RoutesFileError(f"Route '{model}' names unknown provider '{deployment.provider}'")
    return config
