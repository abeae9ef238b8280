"""A circuit breaker per deployment, and a requests-per-minute window.

Closed: calls go through; ``failure_threshold`` consecutive failures open it. Open: calls
are skipped until ``cooldown_seconds`` have passed. Half-open: exactly one probe call is let
through; its success closes the breaker, its failure opens it for another cool-down.
The clock is injected so tests (and the router) never depend on wall time."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

Clock = Callable[[], float]


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@dataclass
class CircuitBreaker:
    failure_threshold: int = 5
    cooldown_seconds: float = 30.0
    clock: Clock = time.monotonic
    failures: int = 0
    opened_at: float | None = None
    _probing: bool = field(default=False, repr=False)

    @property
    def state(self) -> BreakerState:
        if self.opened_at is None:
            return BreakerState.CLOSED
        if self.clock() - self.opened_at >= self.cooldown_seconds:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    def allow(self) -> bool:
        """Whether a call may go through now; in half-open, claims the single probe."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.HALF_OPEN and not self._probing:
            self._probing = True
            return True
        return False

    def record_success(self) -> None:
        self.failures = 0
        self.opened_at = None
        self._probing = False

    def record_failure(self) -> None:
        self.failures += 1
        if self._probing or self.failures >= self.failure_threshold:
            self.opened_at = self.clock()
        self._probing = False

    def release(self) -> None:
        """A probe that ended neither in success nor failure (e.g. canceled) frees the slot."""
        self._probing = False

    def retry_in(self) -> float:
        if self.opened_at is None:
            return 0.0
        return max(0.0, self.cooldown_seconds - (self.clock() - self.opened_at))


@dataclass
class RpmWindow:
    """At most ``limit`` calls in any 60-second window (sliding log; limits are small)."""

    limit: int
    clock: Clock = time.monotonic
    _calls: deque[float] = field(default_factory=deque, repr=False)

    def try_acquire(self) -> bool:
        now = self.clock()
        while self._calls and now - self._calls[0] >= 60.0:
            self._calls.popleft()
        if len(self._calls) >= self.limit:
            return False
        self._calls.append(now)
        return True
