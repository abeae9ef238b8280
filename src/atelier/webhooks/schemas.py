from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, computed_field


class EndpointCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(..., min_length=1, max_length=2000, description="http(s) URL receiving POSTed events.")
    event_types: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="Event types (job.succeeded) or groups (job.*) to receive; empty means all.",
    )
    description: str | None = Field(None, max_length=500)


class EndpointOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    url: str
    description: str | None
    event_types: list[str]
    created_at: datetime
    disabled_at: datetime | None
    disabled_reason: str | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def status(self) -> str:
        return "disabled" if self.disabled_at else "active"


class EndpointCreated(EndpointOut):
    secret: str = Field(..., description="Standard Webhooks signing secret (whsec_…). Shown only now.")


class AttemptOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    attempted_at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int


class DeliveryOut(BaseModel):
    id: str
    webhook_id: str = Field(..., description="The webhook-id header: the same on every retry.")
    endpoint_id: str | None = Field(..., description="None for a per-job webhook URL.")
    url: str
    event_type: str
    subject_id: str | None
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime
    attempt_log: list[AttemptOut]


class SigningSecret(BaseModel):
    secret: str = Field(..., description="whsec_… secret signing deliveries to per-job webhook URLs.")
    applies_to: str = "Deliveries to the webhook_url given with a generation (org endpoints have their own)."


class EventTypeOut(BaseModel):
    type: str
    description: str
