"""Imports every domain's models so the metadata (and Alembic) sees all tables."""

from __future__ import annotations

from atelier.accounts.models import Organization, User
from atelier.audit.models import AuditEvent
from atelier.billing.models import Budget, BudgetPeriod, CreditAccount, CreditEntry, UsageDay
from atelier.idempotency.models import IdempotencyRecord
from atelier.jobs.models import Asset, Job
from atelier.keys.models import ApiKey
from atelier.kit.db import Base
from atelier.organizations.models import Invitation, Membership
from atelier.projects.models import Project
from atelier.safety.models import ContentPolicyOverride
from atelier.specs.records import DesignSpecRecord, DesignSpecVersion
from atelier.storage.models import HeldObject
from atelier.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookOrgSecret

metadata = Base.metadata

__all__ = [
    "ApiKey",
    "Asset",
    "AuditEvent",
    "Budget",
    "BudgetPeriod",
    "ContentPolicyOverride",
    "CreditAccount",
    "CreditEntry",
    "DesignSpecRecord",
    "DesignSpecVersion",
    "HeldObject",
    "IdempotencyRecord",
    "Invitation",
    "Job",
    "Membership",
    "Organization",
    "Project",
    "UsageDay",
    "User",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookOrgSecret",
    "metadata",
]
