"""Organizations known to have no active webhook endpoint (:mod:`atelier.kit.absence`), so
that announcing a job event to nobody costs no statement: most organizations never register
one, and every job emits two events or more. An organization that has any still has them
read in the emitting transaction, so a deleted or disabled endpoint is never written to."""

from __future__ import annotations

from atelier.kit.absence import Absence
from atelier.webhooks.models import WebhookEndpoint

NO_ENDPOINTS = Absence(WebhookEndpoint, lambda endpoint: str(endpoint.organization_id))
