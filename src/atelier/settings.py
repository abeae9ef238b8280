"""Settings, grouped by concern. Every field is read from ``ATELIER_<GROUP>__<FIELD>``
(nested) or from the flat aliases documented on the field; defaults run with nothing else
installed: SQLite and a storage folder under ``./atelier-data``.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_SCRAPE_TOKEN_LENGTH = 16
PLACEHOLDER_SECRETS = frozenset({"", "changeme", "change-me", "secret", "your-secret-key-change-in-production"})


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class ServerSettings(BaseModel):
    host: str = Field("127.0.0.1", description="Address `atelier serve` binds to.")
    port: int = Field(8000, description="Port `atelier serve` listens on.")
    workers: int = Field(1, ge=1, description="Uvicorn worker processes.")
    public_url: str | None = Field(
        None, description="Base URL clients reach this server at; used to build signed asset URLs."
    )
    cors_origins: list[str] = Field(default_factory=list, description="Origins allowed by CORS.")
    max_body_bytes: int = Field(25 * 1024 * 1024, ge=1024, description="Request bodies larger than this get 413.")


class LogSettings(BaseModel):
    format: str = Field("text", pattern="^(text|json)$", description="`text` or `json` log lines.")
    level: str = Field("INFO", description="Root log level.")


class AuthSettings(BaseModel):
    secret_key: str | None = Field(
        None,
        description="Signs JWTs and URLs. Unset: generated on first start and kept in the data folder.",
    )
    access_token_minutes: int = Field(60 * 24, ge=1, description="JWT access token lifetime.")
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = Field(
        "HS256", description="JWT signing algorithm: HMAC with the instance secret; the only one tokens may use."
    )
    open_registration: bool = Field(True, description="Whether anyone may register an account.")


class StorageSettings(BaseModel):
    backend: str = Field("local", pattern="^(local|s3)$", description="`local` folder or `s3` object storage.")
    path: Path | None = Field(None, description="Local storage folder (default: <data_dir>/storage).")
    url_expiry_seconds: int = Field(3600, ge=10, le=7 * 86400, description="Lifetime of signed file URLs.")
    s3_endpoint_url: str | None = Field(None, description="S3-compatible endpoint (R2, MinIO…); unset for AWS.")
    s3_region: str = Field("us-east-1", description="S3 region.")
    s3_bucket: str = Field("atelier", description="Bucket holding every object.")
    s3_access_key_id: str | None = Field(None, description="S3 access key id.")
    s3_secret_access_key: str | None = Field(None, description="S3 secret access key.")
    s3_create_bucket: bool = Field(False, description="Create the bucket at start-up when missing.")
    s3_addressing_style: str = Field(
        "auto", pattern="^(auto|path|virtual)$", description="`path` for most MinIO setups; `auto` elsewhere."
    )
    s3_public_endpoint_url: str | None = Field(
        None, description="Endpoint presigned URLs name, when clients reach S3 at another address than Atelier."
    )
    fallback_max_bytes: int = Field(
        256 * 1024 * 1024,
        ge=0,
        description="When the storage backend refuses an upload, keep the object in the database instead, up to "
        "this many bytes in all (then the upload fails); moved back to the backend once it takes uploads. 0: off.",
    )
    fallback_drain_seconds: float = Field(
        15.0, gt=0, le=3600, description="How often objects held in the database are offered to the backend again."
    )
    orphan_after_seconds: float = Field(
        3600.0,
        ge=0,
        description="A stored object no asset, job input or held object references is deleted once it is this old: "
        "longer than any job takes from storing its images to committing them, so an in-flight job's objects stay.",
    )
    reconcile_seconds: float = Field(
        600.0, gt=0, le=86400, description="How often every job runner looks for orphaned stored objects."
    )


class WebhookSettings(BaseModel):
    retry_delays_seconds: list[float] = Field(
        default_factory=lambda: [5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0],
        max_length=30,
        description="Wait before each retry, counted from the failed attempt; the first attempt is immediate, "
        "so there are len+1 attempts (default: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h).",
    )
    timeout_seconds: float = Field(15.0, gt=0, le=120, description="Time limit of one delivery attempt.")
    max_retry_after_seconds: float = Field(
        86400.0, ge=0, description="Longest wait a receiver's Retry-After header can ask for."
    )
    poll_seconds: float = Field(1.0, gt=0, le=60, description="How often the dispatcher looks for due deliveries.")
    batch_size: int = Field(20, ge=1, le=500, description="Deliveries one dispatcher claims at a time.")
    dispatch_in_process: bool = Field(True, description="Run the delivery loop in every server, worker and CLI.")
    endpoint_cache_seconds: float = Field(
        2.0,
        ge=0,
        le=60,
        description="How long an organization found without webhook endpoints is taken to have none, so job "
        "events to nobody cost no query; an endpoint added in this process counts at once, one added through "
        "another process at most this much later (0: always look).",
    )
    allow_private: list[str] = Field(
        default_factory=list,
        description="Hosts or networks (CIDR) webhooks may be delivered to although private; "
        "for tests and private deployments only.",
    )


class JobSettings(BaseModel):
    concurrency: int = Field(4, ge=1, le=64, description="Jobs one process runs at once.")
    prefetch: int = Field(
        0,
        ge=0,
        le=256,
        description="With Redis: jobs a runner takes from the stream beyond the ones it can start, so the "
        "next one starts without a round trip. 0 leaves every job it cannot start yet to the other runners; "
        "raise it only when runners are few and the queue is deep.",
    )
    lease_seconds: int = Field(30, ge=2, description="A running job's lease; a crashed worker's jobs resume after it.")
    sync_wait_seconds: int = Field(120, ge=1, le=600, description="Longest a synchronous request waits.")
    max_n: int = Field(10, ge=1, le=10, description="Most images one request may ask for.")
    run_in_server: bool = Field(True, description="Whether `atelier serve` also runs jobs (needs no worker).")
    poll_seconds: float = Field(
        1.0, gt=0, le=60, description="How often a job runner looks for queued or orphaned jobs to resume."
    )
    requeue_after_seconds: float = Field(
        60.0, gt=0, description="With Redis: a job still queued this long is sent to the stream again."
    )
    wait_fallback_seconds: float = Field(
        2.0,
        gt=0,
        le=60,
        description="With Redis: how often a synchronous request reads its job again in case the news "
        "that another process finished it was lost (it is woken by that news otherwise).",
    )


class EngineSettings(BaseModel):
    routes_file: Path | None = Field(
        None, description="Routes file (YAML, TOML or JSON) merged over the built-in routes table."
    )
    routes_json: str | None = Field(None, description="A JSON routes document merged over the file.")


class FetchSettings(BaseModel):
    allow_private: list[str] = Field(
        default_factory=list,
        description="Hosts or networks (CIDR) that may be fetched or called although private; "
        "for tests and private deployments only.",
    )
    max_bytes: int = Field(20 * 1024 * 1024, ge=1024, description="Largest body fetched from a URL.")
    timeout_seconds: float = Field(15.0, gt=0, le=120, description="Time limit of one fetch.")


class LimitSettings(BaseModel):
    enabled: bool = Field(True, description="Apply rate limits.")
    per_key: str = Field("1000/minute;300/10 seconds", description="Per API key or user, on /v1 routes.")
    per_organization: str = Field("3000/minute", description="Per organization, on /v1 routes.")
    per_ip: str = Field(
        "30/minute", description="Per client address, on login and register (native and each contract's own)."
    )
    anonymous_per_ip: str = Field(
        "120/minute",
        description="Per client address, on the other routes anyone may call: the health routes (`/health`, "
        "`/monitoring/…` and each contract's own, one budget for all of them) and signed `/files/…` URLs.",
    )
    idempotency_ttl_seconds: int = Field(86400, ge=60, description="How long an Idempotency-Key is remembered.")


class MonitoringSettings(BaseModel):
    scrape_token: SecretStr | None = Field(
        None,
        description="Lets a metrics scraper read `/monitoring/metrics` (and NanoDesigner's copy) with "
        "`Authorization: Bearer <token>`, besides administrators. Unset: administrators only.",
    )
    health_cache_seconds: float = Field(
        5.0,
        ge=0,
        le=300,
        description="The component health report is computed at most once per this many seconds and "
        "served from memory in between, however many callers ask. 0: computed on every call.",
    )

    @field_validator("scrape_token")
    @classmethod
    def _usable_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None  # ATELIER_MONITORING__SCRAPE_TOKEN= means unset, never "an empty token passes"
        if len(value.get_secret_value()) < MIN_SCRAPE_TOKEN_LENGTH:
            raise ValueError(f"the scrape token must be at least {MIN_SCRAPE_TOKEN_LENGTH} characters")
        return value


class PlanSettings(BaseModel):
    """One plan in ``ATELIER_PLANS``. For a built-in plan (free, hobby, pro, payg, unlimited)
    only the fields given change; a new plan must give ``monthly_images`` and
    ``hourly_images`` (``null`` = not limited)."""

    model_config = ConfigDict(extra="forbid")

    monthly_price_usd: Decimal = Field(Decimal("0"), ge=0, le=10**6, description="Shown price per month.")
    monthly_images: int | None = Field(
        None, ge=0, description="Credits granted each month (one credit = one image); null = no credit limit."
    )
    hourly_images: int | None = Field(None, ge=0, description="Images per hour; null = no hourly limit.")
    price_per_image_usd: Decimal = Field(
        Decimal("0"),
        ge=0,
        le=1000,
        description="Charged per image produced (pay-as-you-go), counted in usage cost and budgets.",
    )


class CompatSettings(BaseModel):
    download_hosts: list[str] = Field(
        default_factory=list, description="Hosts Pixova's /api/download may fetch from, besides this server."
    )
    pixova_anonymous_organization: str | None = Field(
        None,
        max_length=40,
        description="Off when unset. The id of the organization that Pixova's POST /api/generate bills when a "
        "request carries no credential (Pixova's own frontends send none): such requests act as that "
        "organization's owner with the generate scope only, limited per IP (100 per hour).",
    )


class SpecSettings(BaseModel):
    """The language model that writes structured design specs (``/v1/specs``, Prompt-to-JSON).
    Unset base URL or model: the built-in rule-based planner writes every spec."""

    llm_base_url: str | None = Field(
        None,
        pattern=r"^https?://",
        description="Base URL of an OpenAI-compatible API (``POST {base}/chat/completions``), e.g. "
        "`https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`. Unset: no LLM is used.",
    )
    llm_api_key: str | None = Field(
        None, description="Sent as `Authorization: Bearer <key>`; unset for servers that need none."
    )
    llm_model: str | None = Field(
        None, max_length=100, description="Model name sent in each request; required for the LLM to be used."
    )
    llm_timeout_seconds: float = Field(
        30.0,
        gt=0,
        le=300,
        description="Time limit of one LLM call, connection and answer included; past it the planner "
        "writes the spec instead.",
    )

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)


class ProvenanceSettings(BaseModel):
    """The key that signs every stored image's C2PA manifest. Unset: a local CA and signing
    certificate are generated into ``<data_dir>/provenance`` on first start (validators then
    report the signer as untrusted)."""

    certificate_file: Path | None = Field(
        None,
        description="PEM certificate chain, signing certificate first (C2PA profile: digitalSignature, "
        "emailProtection or documentSigning EKU, not self-signed).",
    )
    private_key_file: Path | None = Field(None, description="PEM private key of the signing certificate.")
    algorithm: Literal["es256", "es384", "es512", "ps256", "ps384", "ps512", "ed25519"] = Field(
        "es256", description="Signature algorithm matching the key (only for a configured key)."
    )
    timestamp_url: str | None = Field(
        None, pattern=r"^https?://", description="RFC 3161 time-stamp authority; unset: no trusted time-stamp."
    )

    @model_validator(mode="after")
    def _both_or_neither(self) -> ProvenanceSettings:
        if (self.certificate_file is None) != (self.private_key_file is None):
            raise ValueError("ATELIER_PROVENANCE__CERTIFICATE_FILE and __PRIVATE_KEY_FILE are set together")
        return self


class PolicyCategory(StrEnum):
    """What the content policy tells apart (``safety``)."""

    SEXUAL = "sexual"
    SEXUAL_MINORS = "sexual_minors"
    HATE = "hate"
    PROFANITY = "profanity"


class PolicyDecision(StrEnum):
    BLOCK = "block"  # 422 CONTENT_POLICY_VIOLATION: nothing charged, nothing stored
    FLAG = "flag"  # kept and marked; never public
    ALLOW = "allow"  # not checked


#: The default policy: sexually explicit content, sexual content involving minors and hate are
#: blocked; profanity alone is allowed.
DEFAULT_DECISIONS: dict[PolicyCategory, PolicyDecision] = {
    PolicyCategory.SEXUAL: PolicyDecision.BLOCK,
    PolicyCategory.SEXUAL_MINORS: PolicyDecision.BLOCK,
    PolicyCategory.HATE: PolicyDecision.BLOCK,
    PolicyCategory.PROFANITY: PolicyDecision.ALLOW,
}


class ContentPolicySettings(BaseModel):
    """The default content policy of every organization (an operator may override it per
    organization at ``/v1/organization/content-policy``). Prompts are checked at submission,
    before any credit is reserved; every engine's images before they are stored."""

    categories: dict[PolicyCategory, PolicyDecision] = Field(
        default_factory=lambda: dict(DEFAULT_DECISIONS),
        description="Category → `block`, `flag` or `allow`, merged over the default "
        '(`{"sexual": "block", "sexual_minors": "block", "hate": "block", "profanity": "allow"}`).',
    )
    text_threshold: float = Field(
        0.9,
        ge=0,
        le=1,
        description="Offensive-language probability (alt-profanity-check) above which a prompt that also "
        "names a sexual or hateful cue counts as that category (block-list terms count at once).",
    )
    profanity_threshold: float = Field(
        0.9, ge=0, le=1, description="Probability above which a prompt counts as `profanity`."
    )
    image_threshold: float = Field(
        0.6, ge=0, le=1, description="NudeNet's score of an exposed-body class above which an image counts as `sexual`."
    )
    blocklists: dict[PolicyCategory, Path] = Field(
        default_factory=dict,
        description="Category → a UTF-8 file of more terms (one a line, `#` comments), added to the shipped lists.",
    )
    moderation_url: str | None = Field(
        None,
        pattern=r"^https?://",
        description="An OpenAI-compatible moderation endpoint (`POST …/v1/moderations`) asked about every prompt "
        "as well; unset: offline checks only.",
    )
    moderation_api_key: SecretStr | None = Field(None, description="Bearer key of the moderation endpoint.")
    moderation_model: str = Field("omni-moderation-latest", description="`model` sent to the moderation endpoint.")
    moderation_timeout_seconds: float = Field(10.0, gt=0, le=120, description="Time limit of one moderation call.")
    override_cache_seconds: float = Field(
        2.0,
        ge=0,
        le=60,
        description="How long an organization found without a policy of its own is taken to keep the default, "
        "so checks cost no query; a policy set in this process counts at once, one set through another process "
        "at most this much later (0: always look).",
    )

    @field_validator("categories", mode="after")
    @classmethod
    def _over_default(cls, value: dict[PolicyCategory, PolicyDecision]) -> dict[PolicyCategory, PolicyDecision]:
        return {**DEFAULT_DECISIONS, **value}


class SmtpSettings(BaseModel):
    """Where invitation emails go out. Unset host: nothing is mailed and the inviter is shown
    the invitation's token and accept URL to pass on."""

    host: str | None = Field(None, description="SMTP server host; unset: invitations are not mailed.")
    port: int = Field(587, ge=1, le=65535, description="SMTP server port.")
    security: Literal["starttls", "ssl", "none"] = Field(
        "starttls", description="`starttls` (upgrade on connect), `ssl` (implicit TLS, port 465) or `none`."
    )
    username: str | None = Field(None, description="Login name; unset: no authentication.")
    password: SecretStr | None = Field(None, description="Password for `username`.")
    sender: str = Field("atelier@localhost", max_length=320, description="The From address of Atelier's mail.")
    timeout_seconds: float = Field(15.0, gt=0, le=120, description="Time limit of one SMTP conversation.")

    @property
    def enabled(self) -> bool:
        return bool(self.host)


class OrganizationSettings(BaseModel):
    invitation_hours: int = Field(
        168, ge=1, le=24 * 90, description="How long an invitation to join an organization can be accepted."
    )


class Settings(BaseSettings):
    """All of Atelier's configuration."""

    model_config = SettingsConfigDict(env_prefix="ATELIER_", env_nested_delimiter="__", env_file=".env", extra="ignore")

    environment: Environment = Field(Environment.DEVELOPMENT, description="development, test or production.")
    data_dir: Path = Field(Path("atelier-data"), description="Folder for the SQLite database, storage, secrets.")
    database_url: str | None = Field(
        None,
        description="SQLAlchemy async URL. Unset: SQLite in the data folder. `postgresql+asyncpg://…` for PostgreSQL.",
    )
    redis_url: str | None = Field(None, description="Redis URL. Set: rate limits and the job broker move to Redis.")
    redis_namespace: str = Field(
        "atelier", description="Prefix of every Redis key and stream, so installs can share a Redis."
    )
    auto_migrate: bool = Field(True, description="Apply database migrations at start-up.")
    default_plan: str = Field(
        "free", description="Plan a new organization gets (`ATELIER_DEFAULT_PLAN`); must name a known plan."
    )
    plans: dict[str, PlanSettings] = Field(
        default_factory=dict,
        description="`ATELIER_PLANS`: a JSON map of plan name → fields, merged over the built-in plans "
        "(free 50/month 10/hour, hobby 500/100, pro 2000/500, payg $0.02 per image 1000/hour, unlimited), "
        'e.g. `{"pro": {"monthly_images": 3000}, "team": {"monthly_images": 10000, "hourly_images": 2000}}`.',
    )
    server: ServerSettings = Field(default_factory=ServerSettings)  # type: ignore[arg-type]
    log: LogSettings = Field(default_factory=LogSettings)  # type: ignore[arg-type]
    auth: AuthSettings = Field(default_factory=AuthSettings)  # type: ignore[arg-type]
    storage: StorageSettings = Field(default_factory=StorageSettings)  # type: ignore[arg-type]
    jobs: JobSettings = Field(default_factory=JobSettings)  # type: ignore[arg-type]
    engines: EngineSettings = Field(default_factory=EngineSettings)  # type: ignore[arg-type]
    fetch: FetchSettings = Field(default_factory=FetchSettings)  # type: ignore[arg-type]
    limits: LimitSettings = Field(default_factory=LimitSettings)  # type: ignore[arg-type]
    monitoring: MonitoringSettings = Field(default_factory=MonitoringSettings)  # type: ignore[arg-type]
    compat: CompatSettings = Field(default_factory=CompatSettings)  # type: ignore[arg-type]
    webhooks: WebhookSettings = Field(default_factory=WebhookSettings)  # type: ignore[arg-type]
    specs: SpecSettings = Field(default_factory=SpecSettings)  # type: ignore[arg-type]
    provenance: ProvenanceSettings = Field(default_factory=ProvenanceSettings)  # type: ignore[arg-type]
    content_policy: ContentPolicySettings = Field(default_factory=ContentPolicySettings)  # type: ignore[arg-type]

    smtp: SmtpSettings = Field(default_factory=SmtpSettings)  # type: ignore[arg-type]
    organizations: OrganizationSettings = Field(default_factory=OrganizationSettings)  # type: ignore[arg-type]

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str | None) -> str | None:
        if value and value.startswith(("postgres://", "postgresql://")):
            return "postgresql+asyncpg://" + value.split("://", 1)[1]
        return value

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Settings:
        secret = self.auth.secret_key
        if (
            secret is not None
            and self.environment != Environment.DEVELOPMENT
            and (secret.strip().lower() in PLACEHOLDER_SECRETS or len(secret) < 32)
        ):
            raise ValueError(
                "ATELIER_AUTH__SECRET_KEY is a placeholder or shorter than 32 characters; "
                "set a real secret (or leave it unset to have one generated) outside development"
            )
        return self

    @model_validator(mode="after")
    def _known_plans(self) -> Settings:
        # imported here, not at the top: billing.plans (the built-in table) imports this module
        from atelier.billing.plans import build_plans

        table = build_plans(self.plans)
        if self.default_plan not in table:
            raise ValueError(
                f"ATELIER_DEFAULT_PLAN names an unknown plan '{self.default_plan}' (known: {', '.join(table)})"
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'atelier.db').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    def prepare_data_dir(self) -> Path:
        """The data folder, created if missing and made private (0700) whatever the umask:
        it holds the SQLite database, stored images and the generated secret."""
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.data_dir.chmod(0o700)
        return self.data_dir

    def signing_secret(self) -> str:
        """The configured secret, or the one generated on first start and kept in the data folder."""
        if self.auth.secret_key:
            return self.auth.secret_key
        path = self.data_dir / "secret.key"
        if path.exists():
            return path.read_text().strip()
        self.prepare_data_dir()
        value = secrets.token_urlsafe(48)
        path.touch(mode=0o600)
        path.write_text(value)
        return value
