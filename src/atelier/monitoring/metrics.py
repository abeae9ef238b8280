"""Request metrics kept in memory per process: enough for the last 24 hours of figures."""

from __future__ import annotations

import time
from collections import Counter, deque
from dataclasses import dataclass
from statistics import quantiles
from typing import Any

RETENTION_SECONDS = 24 * 3600


@dataclass(frozen=True, slots=True)
class Sample:
    at: float
    status: int
    seconds: float


class RequestMetrics:
    def __init__(self, max_samples: int = 500_000) -> None:
        self._samples: deque[Sample] = deque(maxlen=max_samples)
        self.started_at = time.time()

    def record(self, status: int, seconds: float) -> None:
        now = time.time()
        self._samples.append(Sample(now, status, seconds))
        while self._samples and self._samples[0].at < now - RETENTION_SECONDS:
            self._samples.popleft()

    def summary(self, hours: int) -> dict[str, Any]:
        since = time.time() - hours * 3600
        window = [s for s in self._samples if s.at >= since]
        durations = sorted(s.seconds for s in window)
        codes = Counter(str(s.status) for s in window)
        errors = sum(1 for s in window if s.status >= 500)
        p95 = p99 = 0.0
        if len(durations) >= 2:
            cuts = quantiles(durations, n=100, method="inclusive")
            p95, p99 = cuts[94], cuts[98]
        elif durations:
            p95 = p99 = durations[0]
        return {
            "request_count": len(window),
            "avg_response_time": round(sum(durations) / len(durations), 4) if durations else 0.0,
            "p95_response_time": round(p95, 4),
            "p99_response_time": round(p99, 4),
            "error_rate": round(100.0 * errors / len(window), 3) if window else 0.0,
            "status_codes": dict(codes),
        }
