"""A value computed at most once per interval, however many callers ask at once: the first
caller computes it while the others wait for that result (single flight), and every caller
until the interval ends gets it from memory. Each caller gets its own copy to change."""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Computed(Generic[T]):
    value: T
    #: How long computing it took, in seconds (what a caller would have waited without the cache).
    seconds: float


class SingleFlight(Generic[T]):
    def __init__(self, seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self._entries: dict[str, tuple[float, Computed[T]]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def get(self, key: str, compute: Callable[[], Awaitable[T]]) -> Computed[T]:
        """The value under ``key``, computed by ``compute`` when missing or older than the
        interval (always, when the interval is 0)."""
        if self.seconds <= 0:
            return await self._compute(compute)
        fresh = self._fresh(key)
        if fresh is None:
            async with self._locks.setdefault(key, asyncio.Lock()):
                fresh = self._fresh(key)  # computed by the caller this one waited for
                if fresh is None:
                    fresh = await self._compute(compute)
                    self._entries[key] = (self.clock() + self.seconds, fresh)
        return Computed(copy.deepcopy(fresh.value), fresh.seconds)

    def _fresh(self, key: str) -> Computed[T] | None:
        entry = self._entries.get(key)
        return entry[1] if entry is not None and entry[0] > self.clock() else None

    @staticmethod
    async def _compute(compute: Callable[[], Awaitable[T]]) -> Computed[T]:
        started = time.perf_counter()
        value = await compute()
        return Computed(value, time.perf_counter() - started)
