from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ColumnElement,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    and_,
)
from sqlalchemy.orm import Mapped, mapped_column

from atelier.kit.db import Base, TimestampMixin, UTCDateTime
from atelier.kit.ids import new_id


class JobStatus(StrEnum):
    QUEUED = "queued"
    PROCESSING = "processing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELED = "canceled"

    @property
    def final(self) -> bool:
        return self in {JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELED}


class Job(TimestampMixin, Base):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_status_created_at", "status", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("job"))
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(40))
    api_key_id: Mapped[str | None] = mapped_column(String(40), default=None, index=True)
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.QUEUED.value, index=True)
    model: Mapped[str] = mapped_column(String(200))
    engine: Mapped[str | None] = mapped_column(String(200), default=None)
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    n: Mapped[int] = mapped_column(Integer, default=1)
    progress: Mapped[float] = mapped_column(default=0.0)
    attempts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    runs: Mapped[int] = mapped_column(Integer, default=0)
    cost_usd: Mapped[Decimal] = mapped_column(Numeric(12, 6), default=Decimal("0"))
    error_code: Mapped[str | None] = mapped_column(String(80), default=None)
    error_message: Mapped[str | None] = mapped_column(Text, default=None)
    notes: Mapped[list[str]] = mapped_column(JSON, default=list)
    fidelity: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    webhook_url: Mapped[str | None] = mapped_column(String(2000), default=None)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Who holds the job while it runs, and until when: a crashed worker's lease expires.
    lease_token: Mapped[str | None] = mapped_column(String(40), default=None)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    #: What the content policy checked and decided (``safety``): ``{"prompt": …, "images": …}``,
    #: each with the checks that really ran and those skipped; None before any check.
    content_checks: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    # --- the job's own state, beside the request (``params``) --------------------------
    #: The input images stored at submission (references, then the mask when ``has_mask``).
    input_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    has_mask: Mapped[bool] = mapped_column(Boolean, default=False)
    #: What admission reserved against the budget (provider estimate + plan charge), and the
    #: plan's price per image fixed at admission: a plan change while it runs does not reprice it.
    reserved_cost_usd: Mapped[Decimal] = mapped_column(Numeric(12, 6), default=Decimal("0"))
    price_per_image_usd: Mapped[Decimal] = mapped_column(Numeric(12, 6), default=Decimal("0"))
    #: Credits reserved at admission (the ledger's reservation entry), refunded or debited
    #: when the job settles.
    reserved_credits: Mapped[int] = mapped_column(Integer, default=0)
    #: The provider request a running job waits on and its notification, when the provider
    #: calls back (fal's webhook inbox): ``{"request_id", "notification"}``.
    provider_request: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)

    @property
    def status_enum(self) -> JobStatus:
        return JobStatus(self.status)


def held(job_id: str | ColumnElement[str], token: str | ColumnElement[str]) -> ColumnElement[bool]:
    """The job ``job_id`` while ``token`` holds its lease and it runs: what a runner's every
    write to its job requires (a runner whose lease was taken over writes nothing)."""
    return and_(Job.id == job_id, Job.lease_token == token, Job.status == JobStatus.PROCESSING.value)


class Asset(TimestampMixin, Base):
    __tablename__ = "assets"
    __table_args__ = (UniqueConstraint("job_id", "position"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("ast"))
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    storage_key: Mapped[str] = mapped_column(String(500))
    format: Mapped[str] = mapped_column(String(10))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    bytes: Mapped[int] = mapped_column(Integer)
    spec: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    revised_prompt: Mapped[str | None] = mapped_column(Text, default=None)
    synthid: Mapped[bool] = mapped_column(Boolean, default=False)
    favorite: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    public: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    #: Set when deleted from the gallery: the file is gone, the record stays for usage and audit.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    #: A small WebP made when the image was stored (``jobs.thumbnails``); None if it could not be.
    thumbnail_key: Mapped[str | None] = mapped_column(String(500), default=None)
    #: The content-policy categories the image (or its prompt) was flagged for, comma-separated:
    #: a flagged asset is kept but can never be made public.
    content_flag: Mapped[str | None] = mapped_column(String(200), default=None)
