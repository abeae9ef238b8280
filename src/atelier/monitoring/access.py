"""Who may read business figures (revenue, sign-ups, render counts): an administrator (JWT
or API key holding the admin scope), or a metrics scraper sending the configured
``monitoring.scrape_token`` as ``Authorization: Bearer <token>``. One dependency, used by
``/monitoring/metrics`` and by every contract's copy of it; refusals are ordinary errors, so
each contract renders them in its own body shape."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from atelier.auth.access import ADMIN_ACCESS, authorize, declare
from atelier.auth.principal import resolve
from atelier.kit.deps import RuntimeDep
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


async def require_metrics_reader(request: Request, runtime: RuntimeDep) -> None:
    if presents_scrape_token(request, runtime.settings.monitoring):
        return
    resolution = await resolve(request)
    if not resolution.credentials.present:
        raise Unauthorized(
            "Business figures need an administrator's credentials or the monitoring scrape token "
            "('Authorization: Bearer <token>')"
        )
    authorize(resolution.require(), ADMIN_ACCESS)


MetricsReader = Annotated[None, Depends(declare(require_metrics_reader, ADMIN_ACCESS))]
