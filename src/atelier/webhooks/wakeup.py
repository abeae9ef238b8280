"""Waking dispatchers when deliveries commit, so "immediately" means immediately and not
at the next poll. ``emit`` marks its session; once that session commits, every dispatcher
in this process is woken (a dispatcher of another database just finds nothing due).
Dispatchers in other processes notice at their next poll."""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

_KEY = "atelier.webhooks.wake"


class Waker:
    def __init__(self) -> None:
        self.event = asyncio.Event()
        self.loop = asyncio.get_running_loop()

    def wake(self) -> None:
        # Sessions may commit on another thread's loop (a server under test runs in a thread).
        if not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.event.set)


_wakers: weakref.WeakSet[Waker] = weakref.WeakSet()


def register(waker: Waker) -> None:
    _wakers.add(waker)


def wake_after_commit(session: AsyncSession) -> None:
    session.info[_KEY] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(_KEY, False):
        for waker in list(_wakers):
            waker.wake()


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction: Any) -> None:
    session.info.pop(_KEY, None)
