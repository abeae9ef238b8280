"""The event types Atelier sends. Endpoints subscribe to types or groups (``job.*``);
domains that emit a new type add it here so subscriptions to it validate."""

from __future__ import annotations

import re

EVENT_TYPES: dict[str, str] = {
    "job.started": "A job was claimed by a worker and began running.",
    "job.progress": "A running job reported progress (at most every 500 ms).",
    "job.succeeded": "A job finished with its images stored.",
    "job.failed": "A job failed; ``data.error`` says why.",
    "job.canceled": "A job was canceled.",
    "budget.threshold": "Spending crossed 50, 80 or 100 % of a daily or monthly budget.",
}

_PATTERN = re.compile(r"^[a-zA-Z0-9_]+(\.[a-zA-Z0-9_]+)*$")


def unknown_filters(filters: list[str]) -> list[str]:
    """The subscriptions that name no known event type or group."""
    groups = {name.split(".", 1)[0] for name in EVENT_TYPES}
    bad = []
    for item in filters:
        if item.endswith(".*") and item[:-2] in groups:
            continue
        if item in EVENT_TYPES:
            continue
        bad.append(item)
    return bad


def matches(filters: list[str], event_type: str) -> bool:
    if not filters:
        return True
    return any(f == event_type or (f.endswith(".*") and event_type.startswith(f[:-1])) for f in filters)


def valid_type(event_type: str) -> bool:
    """Types are full-stop delimited ``[a-zA-Z0-9_]`` identifiers: never a ``.*`` or blank."""
    return bool(_PATTERN.match(event_type)) and len(event_type) <= 100
