"""Per-request context: the request id doubles as the trace id in logs and error bodies."""

from __future__ import annotations

from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    return request_id_var.get()


#: The base URL the current request reached us at (scheme://host[:port]), for absolute links.
base_url_var: ContextVar[str | None] = ContextVar("base_url", default=None)


def current_base_url() -> str | None:
    return base_url_var.get()


#: The job the current task is running (set by the job runner), for adapters that need it.
job_id_var: ContextVar[str | None] = ContextVar("job_id", default=None)


def current_job_id() -> str | None:
    return job_id_var.get()
