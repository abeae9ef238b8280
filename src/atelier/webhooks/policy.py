"""What an attempt's outcome means for the delivery: done, retry later (when), give up, or
give up and disable the endpoint. Follows the Standard Webhooks guidance: 2xx succeeds;
timeouts, connection errors, 408, 429 and 5xx (and 3xx: redirects are not followed) are
retried on the schedule, later when ``Retry-After`` asks; 410 disables the endpoint; any
other 4xx fails without retry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import StrEnum

RETRY_CODES = frozenset({408, 429})


class Verdict(StrEnum):
    SUCCEEDED = "succeeded"
    RETRY = "retry"
    FAILED = "failed"
    GONE = "gone"


def judge(status_code: int | None) -> Verdict:
    """None means no response (timeout, connection refused or reset, DNS failure)."""
    if status_code is None:
        return Verdict.RETRY
    if 200 <= status_code < 300:
        return Verdict.SUCCEEDED
    if status_code == 410:
        return Verdict.GONE
    if 400 <= status_code < 500 and status_code not in RETRY_CODES:
        return Verdict.FAILED
    return Verdict.RETRY


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


@dataclass(frozen=True)
class Schedule:
    delays: list[float]
    max_retry_after: float

    def next_attempt(self, attempts_made: int, now: datetime, retry_after: float | None) -> datetime | None:
        """When to try again after ``attempts_made`` failed attempts, or None to give up."""
        if attempts_made > len(self.delays):
            return None
        delay = self.delays[attempts_made - 1]
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.max_retry_after))
        return now + timedelta(seconds=delay)
