"""The whole exception tree of Atelier, in one place.

Every error a client can see is an :class:`AtelierError`: it carries its HTTP status and a
stable machine-readable ``code``. One handler (``kit.handlers``) renders them. Engine and
provider failures are split into retriable and permanent ones so the router knows whether
trying again (or the next deployment) can help.
"""

from __future__ import annotations

from typing import Any


class AtelierError(Exception):
    """Base of every error rendered to a client."""

    status_code: int = 500
    code: str = "INTERNAL_ERROR"

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        code: str | None = None,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if status_code is not None:
            self.status_code = status_code
        if code is not None:
            self.code = code
        self.details = details or {}
        self.headers = headers or {}


class ValidationFailed(AtelierError):
    status_code = 422
    code = "VALIDATION_ERROR"


class BadRequest(AtelierError):
    status_code = 400
    code = "BAD_REQUEST"


class Unauthorized(AtelierError):
    status_code = 401
    code = "UNAUTHORIZED"

    def __init__(self, message: str = "Authentication required", **kw: Any) -> None:
        kw.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(message, **kw)


class Forbidden(AtelierError):
    status_code = 403
    code = "FORBIDDEN"


class NotFound(AtelierError):
    status_code = 404
    code = "NOT_FOUND"


class Conflict(AtelierError):
    status_code = 409
    code = "CONFLICT"


class Gone(AtelierError):
    status_code = 410
    code = "GONE"


class PayloadTooLarge(AtelierError):
    status_code = 413
    code = "PAYLOAD_TOO_LARGE"


class RateLimited(AtelierError):
    status_code = 429
    code = "RATE_LIMIT_EXCEEDED"


class InsufficientCredits(AtelierError):
    status_code = 402
    code = "INSUFFICIENT_CREDITS"


class BudgetExceeded(AtelierError):
    status_code = 402
    code = "BUDGET_EXCEEDED"


class ContentPolicyViolation(AtelierError):
    """A provider (or our own check) refused the prompt or image on policy grounds."""

    status_code = 422
    code = "CONTENT_POLICY_VIOLATION"


class ServiceUnavailable(AtelierError):
    status_code = 503
    code = "SERVICE_UNAVAILABLE"


class StorageError(AtelierError):
    status_code = 503
    code = "STORAGE_ERROR"


class ExternalServiceError(AtelierError):
    """Every deployment of a route failed; ``details['attempts']`` lists them."""

    status_code = 502
    code = "EXTERNAL_SERVICE_ERROR"


# --- Engine / provider failures -------------------------------------------------------


class EngineError(AtelierError):
    """A failure inside an engine or at a provider. Not retriable unless a subclass says so."""

    status_code = 502
    code = "EXTERNAL_SERVICE_ERROR"
    retriable: bool = False


class RetriableEngineError(EngineError):
    """429, 5xx, timeouts, connection errors: trying again (later) may succeed."""

    retriable = True

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class PermanentEngineError(EngineError):
    """A request the engine will never accept as sent (bad parameters, unsupported task)."""


class ProviderAuthError(PermanentEngineError):
    """The provider rejected our credentials. The message names the provider, never the secret."""

    code = "PROVIDER_AUTH_ERROR"


class EngineContentPolicyError(PermanentEngineError):
    status_code = 422
    code = "CONTENT_POLICY_VIOLATION"


def status_for_code(code: str) -> int:
    """The HTTP status a stable error code carries in this tree (a storage failure 503, a
    provider's 502, a refusal 422…), for errors stored as codes, such as a failed job's. A
    job canceled by another request is 409; an unknown code (a crash) 500."""
    if code == "CANCELED":
        return 409
    pending: list[type[AtelierError]] = list(AtelierError.__subclasses__())
    while pending:
        cls = pending.pop()
        if cls.code == code:
            return cls.status_code
        pending.extend(cls.__subclasses__())
    return 500


class JobCanceled(Exception):
    """Raised inside an engine when its job was canceled; not an error for the client."""
