"""Who may read business figures (revenue, sign-ups, render counts): an administrator (JWT
or API key), or a metrics scraper sending the configured ``monitoring.scrape_token`` as
``Authorization: Bearer <token>``. One dependency, used by ``/monitoring/metrics`` and by
every contract's copy of it; refusals are ordinary errors, so each contract renders them in
its own body shape."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from atelier.auth.dependencies import authenticate, credentials_from, require_admin
from atelier.kit.deps import RuntimeDep, SessionDep
from atelier.kit.errors import Unauthorized
from atelier.settings import MonitoringSettings


def presents_scrape_token(request: Request, monitoring: MonitoringSettings) -> bool:
    """Whether the request sends the configured scrape token. Compared in constant time over
    the header's raw bytes: comparing str would raise on non-ASCII instead of refusing."""
    if monitoring.scrape_token is None:
        return False
    sent = next((value for name, value in request.headers.raw if name.lower() == b"authorization"), b"")
    scheme, _, token = sent.partition(b" ")
    if scheme.lower() != b"bearer":
        return False
    expected = monitoring.scrape_token.get_secret_value().encode("utf-8")
    return bool(expected) and hmac.compare_digest(token.strip(), expected)


async def require_metrics_reader(request: Request, session: SessionDep, runtime: RuntimeDep) -> None:
    if presents_scrape_token(request, runtime.settings.monitoring):
        return
    if credentials_from(request) == (None, None):
        raise Unauthorized(
            "Business figures need an administrator's credentials or the monitoring scrape token "
            "('Authorization: Bearer <token>')"
        )
    # Not the scrape token: the caller must be an administrator, checked as AdminPrincipal does.
    await require_admin(await authenticate(request, session, runtime))


MetricsReader = Annotated[None, Depends(require_metrics_reader)]
