"""Knowing, for a while, that an organization has no row of some kind (no webhook endpoint,
no content-policy override), so that the common case — nothing configured — costs no query
on every job.

Only absence is remembered, never the rows: a caller that finds any reads them in its own
transaction, as before. Absence is forgotten, in this process, as soon as a transaction
that adds such a row commits (an ORM event on every session: by construction, not per
route); another process learns of it when its memory of the absence expires (the caller's
``seconds``). A read that began before such a commit cannot re-remember the absence
afterwards: each key has a generation that the addition advances."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session, UOWTransaction

_ADDED = "atelier.absence.added"
#: A bound on each memory: past it, everything is forgotten (absence is only an optimisation).
MAX_ENTRIES = 100_000
_watched: list[Absence] = []
T = TypeVar("T")


class Absence:
    """Keys known to have no row of ``model``; ``key`` names a new row's key. ``watched``:
    whether sessions' additions make it forget (always, but in a unit test of its own)."""

    def __init__(self, model: type[Any], key: Callable[[Any], str], *, watched: bool = True) -> None:
        self.model = model
        self.key = key
        self._until: dict[str, float] = {}
        self._generation: dict[str, int] = {}
        if watched:
            _watched.append(self)

    async def find(self, key: str, seconds: float, fetch: Callable[[], Awaitable[T]]) -> T | None:
        """What ``fetch`` reads, or None without reading when ``key`` is known to have none;
        an empty answer (None, an empty list) is remembered as absence for ``seconds``."""
        if self.known(key):
            return None
        generation = self.generation(key)  # before the read: an addition during it wins
        found = await fetch()
        if not found:
            self.remember(key, generation, seconds)
        return found

    def generation(self, key: str) -> int:
        return self._generation.get(key, 0)

    def known(self, key: str) -> bool:
        until = self._until.get(key)
        if until is None:
            return False
        if until <= time.monotonic():
            self._until.pop(key, None)
            return False
        return True

    def remember(self, key: str, generation: int, seconds: float) -> None:
        """That ``key`` has none, for ``seconds``, unless a row was added since ``generation``
        was read (before the read that found none)."""
        if seconds <= 0 or self.generation(key) != generation:
            return
        if len(self._until) >= MAX_ENTRIES:
            self._until.clear()
        self._until[key] = time.monotonic() + seconds

    def forget(self, key: str) -> None:
        self._until.pop(key, None)
        if len(self._generation) >= MAX_ENTRIES:
            self._generation.clear()
        self._generation[key] = self.generation(key) + 1


@event.listens_for(Session, "after_flush")
def _note_added(session: Session, _flush: UOWTransaction) -> None:
    for absence in _watched:
        added = {absence.key(obj) for obj in session.new if isinstance(obj, absence.model)}
        if added:
            session.info.setdefault(_ADDED, []).append((absence, added))
            for key in added:  # a read racing the commit must not remember absence
                absence.forget(key)


@event.listens_for(Session, "after_commit")
def _forget_absence(session: Session) -> None:
    for absence, added in session.info.pop(_ADDED, ()):
        for key in added:
            absence.forget(key)


@event.listens_for(Session, "after_soft_rollback")
def _discard(session: Session, _previous: Any) -> None:
    session.info.pop(_ADDED, None)
