"""Who a request counts against: the principal that ``auth.principal`` resolved for it (one
API key, or the user behind a JWT), that principal's organization, or the client address. A
request without a valid credential counts against its address under every rule, so a flood of
made-up keys is limited like any other caller."""

from __future__ import annotations

from starlette.requests import HTTPConnection

from atelier.auth.principal import resolve


def client_address(request: HTTPConnection) -> str:
    return request.client.host if request.client else "unknown"


async def subject(request: HTTPConnection, per: str) -> str:
    if per == "ip":
        return f"ip:{client_address(request)}"
    principal = (await resolve(request)).principal
    if principal is None:
        return f"ip:{client_address(request)}"
    if per == "organization":
        return f"org:{principal.organization_id}"
    return principal.subject
