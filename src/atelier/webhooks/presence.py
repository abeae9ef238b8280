"""Organizations known to have no active webhook endpoint, so that announcing a job event
to nobody costs no statement: most organizations never register one, and every job emits
two events or more.

Only absence is remembered, never the endpoints themselves: when an organization has any,
:func:`~atelier.webhooks.service.emit` reads them in its transaction as before, so a
deleted or disabled endpoint is never written to. Absence is forgotten, in this process,
as soon as a transaction that adds an endpoint commits (any ORM path: by construction, not
per route); another process learns of it when its memory of the absence expires
(``webhooks.endpoint_cache_seconds``). A read that began before such a commit cannot
re-remember the absence afterwards: each organization's entry has a generation that the
commit advances."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, UOWTransaction

from atelier.webhooks.models import WebhookEndpoint

_ADDED = "atelier.webhooks.endpoints_added"
#: A bound on the memory: past it, everything is forgotten (absence is only an optimisation).
MAX_ENTRIES = 100_000


class NoEndpoints:
    def __init__(self) -> None:
        self._until: dict[str, float] = {}
        self._generation: dict[str, int] = {}

    def generation(self, organization_id: str) -> int:
        return self._generation.get(organization_id, 0)

    def known(self, organization_id: str) -> bool:
        until = self._until.get(organization_id)
        if until is None:
            return False
        if until <= time.monotonic():
            self._until.pop(organization_id, None)
            return False
        return True

    def remember(self, organization_id: str, generation: int, seconds: float) -> None:
        """Unless an endpoint was added since ``generation`` was read."""
        if seconds <= 0 or self.generation(organization_id) != generation:
            return
        if len(self._until) >= MAX_ENTRIES:
            self._until.clear()
        self._until[organization_id] = time.monotonic() + seconds

    def forget(self, organization_id: str) -> None:
        self._until.pop(organization_id, None)
        if len(self._generation) >= MAX_ENTRIES:
            self._generation.clear()
        self._generation[organization_id] = self.generation(organization_id) + 1


NO_ENDPOINTS = NoEndpoints()


@event.listens_for(Session, "after_flush")
def _note_added(session: Session, _flush: UOWTransaction) -> None:
    added = {obj.organization_id for obj in session.new if isinstance(obj, WebhookEndpoint)}
    if added:
        session.info.setdefault(_ADDED, set()).update(added)
        for organization_id in added:  # a read racing the flush must not remember absence
            NO_ENDPOINTS.forget(organization_id)


@event.listens_for(Session, "after_commit")
def _forget_absence(session: Session) -> None:
    for organization_id in session.info.pop(_ADDED, ()):
        NO_ENDPOINTS.forget(organization_id)


@event.listens_for(Session, "after_soft_rollback")
def _discard(session: Session, _previous: Any) -> None:
    session.info.pop(_ADDED, None)
