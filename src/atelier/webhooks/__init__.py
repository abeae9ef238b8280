"""Outgoing webhooks per the Standard Webhooks specification. Other domains announce events
with :func:`emit` (in their own transaction); job events arrive through ``WebhookHook``."""

from atelier.webhooks.service import emit

__all__ = ["emit"]
