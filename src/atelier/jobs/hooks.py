"""Seams through which other domains take part in a job's life without the pipeline
knowing them: the usage economy (admission, credits, budgets, usage) and webhooks.

Every hook runs inside the transaction of the state change it reacts to, so a job row, its
credit reservation and its webhook deliveries commit together or not at all. Hooks are
registered on ``runtime.services.job_hooks`` (a list) at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from atelier.engines.base import GeneratedImage
    from atelier.jobs.models import Job


@dataclass
class Submission:
    """What is known when a job is about to be created: admission runs before its row
    exists, and what the hooks decide (the fields after ``prompt``) goes into that row's one
    INSERT, so a refused submission writes no job at all."""

    job_id: str
    organization_id: str
    user_id: str
    api_key_id: str | None
    model: str
    n: int
    width: int
    height: int
    quality: str | None
    #: Price estimate from the route's first deployment able to run it.
    estimated_cost_usd: Decimal
    #: The prompt as submitted (the content policy reads it before credits are reserved).
    prompt: str = ""
    # --- decided by the hooks -------------------------------------------------------------
    #: What the content policy checked and decided (``Job.content_checks``).
    content_checks: dict[str, Any] | None = None
    #: The budget reservation (provider estimate + plan charge), the plan's price per image
    #: and the credits reserved (``Job.reserved_cost_usd``, ``price_per_image_usd``,
    #: ``reserved_credits``).
    reserved_cost_usd: Decimal = Decimal("0")
    price_per_image_usd: Decimal = Decimal("0")
    reserved_credits: int = 0


@dataclass
class JobEvent:
    """A change in a job's life: ``job.started``, ``job.progress``, ``job.succeeded``,
    ``job.failed``, ``job.canceled``."""

    type: str
    job_id: str
    organization_id: str
    data: dict[str, Any] = field(default_factory=dict)
    #: A per-job webhook URL given at submission, in addition to the org's endpoints.
    webhook_url: str | None = None


@dataclass
class Outcome:
    """How a job ended, for settlement."""

    job_id: str
    organization_id: str
    api_key_id: str | None
    model: str
    status: str  # succeeded | failed | canceled
    images: int
    cost_usd: Decimal
    #: What admission reserved against the budget, and the plan price per image it fixed.
    reserved_cost_usd: Decimal = Decimal("0")
    price_per_image_usd: Decimal = Decimal("0")
    #: Credits reserved at admission and not yet settled.
    reserved_credits: int = 0
    submitted_at: datetime | None = None


class JobHook(Protocol):
    async def before_submit(self, session: AsyncSession, submission: Submission) -> None:
        """Admit or refuse (raise an AtelierError, e.g. 402/429) and reserve what is needed."""
        ...

    async def on_event(self, session: AsyncSession, event: JobEvent) -> None:
        """React to a job event (e.g. queue webhook deliveries)."""
        ...

    async def on_finished(self, session: AsyncSession, outcome: Outcome) -> None:
        """Settle: debit on success, refund on failure or cancel, record usage."""
        ...


@dataclass
class OutputReview:
    """What the output check decided for a job's images, before any is stored."""

    #: Per image: the categories it is flagged for (comma-separated), or None.
    flags: list[str | None]
    #: Which checks ran, which were skipped and why (kept on the job).
    report: dict[str, Any]


class OutputCheck(Protocol):
    async def review(self, job: Job, images: list[GeneratedImage]) -> OutputReview:
        """Check every image of a finished run; raise an AtelierError to fail the job with
        nothing stored (its credits are released by the job's settlement)."""
        ...
