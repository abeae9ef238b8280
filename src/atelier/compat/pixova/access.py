"""Who may call Pixova's ``POST /api/generate``: the usual generate-scoped caller, or, in the
opt-in anonymous mode (``ATELIER_COMPAT__PIXOVA_ANONYMOUS_ORGANIZATION``), a request with no
credential at all, which then acts for the configured organization's owner with only the
generate scope. A credential that is sent is always checked: a bad one is a 401, never a
fallback to anonymous."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy import select

from atelier.accounts.models import Organization, Role, User
from atelier.auth.access import API_KEY_HEADER, BEARER, Access, authorize, declare
from atelier.auth.principal import Principal, resolve
from atelier.auth.scopes import Scope
from atelier.idempotency import service as idempotency
from atelier.kit.deps import SessionDep
from atelier.kit.errors import ServiceUnavailable
from atelier.kit.runtime import Runtime
from atelier.limits.identity import client_address
from atelier.organizations.models import Membership, OrgRole

GENERATE = Access(frozenset({Scope.GENERATE.value}))
_SCOPES = sorted(GENERATE.scopes)


async def anonymous_principal(runtime: Runtime, org_id: str) -> Principal:
    """The organization's owner (an owner member, instance administrators first; else its
    first member) with the generate scope only, so anonymous callers can generate and nothing else. Read in a
    session of its own, closed at once, as :func:`~atelier.auth.principal.resolve` does: the
    request's session opens no transaction before the route's own work."""
    async with runtime.sessions() as session:
        org = await session.get(Organization, org_id)
        owner = None
        if org is not None:
            query = (
                select(User)
                .join(Membership, Membership.user_id == User.id)
                .where(Membership.organization_id == org.id, User.is_active.is_(True))
                .order_by(
                    (Membership.role != OrgRole.OWNER.value),
                    (User.role != Role.ADMIN.value),
                    Membership.created_at,
                    User.id,
                )
                .limit(1)
            )
            owner = (await session.execute(query)).scalar_one_or_none()
    if org is None or owner is None:
        raise ServiceUnavailable("Pixova's anonymous mode names no organization with an active user")
    return Principal(user=owner, organization=org, api_key=None, scopes=frozenset(GENERATE.scopes))


async def pixova_generate_access(
    request: Request,
    session: SessionDep,
    _key: str | None = Security(API_KEY_HEADER, scopes=_SCOPES),
    _bearer: HTTPAuthorizationCredentials | None = Security(BEARER, scopes=_SCOPES),
) -> Principal:
    runtime: Runtime = request.app.state.runtime
    resolution = await resolve(request)
    org_id = runtime.settings.compat.pixova_anonymous_organization
    if org_id and not resolution.credentials.present and resolution.error is None:
        principal = authorize(await anonymous_principal(runtime, org_id), GENERATE)
        # Anonymous callers share one principal: their replays are kept apart per address,
        # and never mixed with the owner's own requests.
        owner = f"org:{principal.organization_id}|anonymous:{client_address(request)}"
    else:
        principal = authorize(resolution.require(), GENERATE)
        owner = f"org:{principal.organization_id}|{principal.subject}"
    await idempotency.claim(request, runtime, owner=owner)
    return await principal.attach(session)


PixovaGeneratePrincipal = Annotated[Principal, Depends(declare(pixova_generate_access, GENERATE))]
