"""Every route declares who may call it, and a route that declares nothing is not mounted.

A declaration is a dependency made here: :func:`requires` (a caller holding one of the given
scopes; admin routes also need the admin role), :data:`PUBLIC` (anyone: the route checks
its own signature or token, if any) and :func:`socket_requires` for WebSockets.
:func:`check_routes` walks the application and refuses to build it if any route (native or
compat) lacks one. The check reads the principal that ``auth.principal`` resolved once for
the request, then claims the request's ``Idempotency-Key`` for that principal, so a replay is
served only after the caller has been authorized, and only to the same caller."""

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request, Security, WebSocket
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, APIWebSocketRoute, iter_route_contexts
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.requests import HTTPConnection

from atelier.auth.principal import Principal, Resolution, resolve, resolve_credentials
from atelier.auth.scopes import Scope
from atelier.idempotency import service as idempotency
from atelier.kit.deps import SessionDep
from atelier.kit.errors import AtelierError, Forbidden
from atelier.kit.runtime import Runtime
from atelier.kit.streams import RECHECK_STATE

ACCESS_ATTRIBUTE = "__atelier_access__"

API_KEY_HEADER = APIKeyHeader(
    name="X-API-Key", scheme_name="ApiKey", auto_error=False, description="An Atelier API key (`atl_…`, `nb_…`)."
)
BEARER = HTTPBearer(
    scheme_name="Bearer",
    auto_error=False,
    description="An API key or a JWT from `POST /v1/auth/login`. A JWT holds every scope its role allows "
    "in the organization it acts in (`X-Organization-ID`).",
)


@dataclass(frozen=True)
class Access:
    """Who may call a route: anyone (``public``), or a caller with any of ``scopes``."""

    scopes: frozenset[str] = frozenset()
    admin: bool = False
    public: bool = False

    def describe(self) -> str:
        if self.public:
            return "public"
        wanted = " or ".join(sorted(self.scopes))
        return f"{wanted} (admin role)" if self.admin else wanted


def authorize(principal: Principal, access: Access) -> Principal:
    if access.admin and not principal.user.is_admin:
        raise Forbidden("Administrator role required", code="ADMIN_REQUIRED")
    if not any(principal.has_scope(scope) for scope in access.scopes):
        raise principal.refusal("' or '".join(sorted(access.scopes)))
    return principal


def declare(dependency: Callable[..., Any], access: Access) -> Callable[..., Any]:
    """Mark ``dependency`` as a route's access check (for checks this module cannot
    express, such as "an admin or the scrape token"); it must enforce ``access`` itself."""
    setattr(dependency, ACCESS_ATTRIBUTE, access)
    return dependency


def requires(*scopes: Scope, admin: bool = False) -> Callable[..., Awaitable[Principal]]:
    """A dependency giving the authorized principal, attached to the request's session."""
    if not scopes:
        raise ValueError("requires() needs at least one scope")
    access = Access(frozenset(s.value for s in scopes), admin=admin)
    names = sorted(access.scopes)

    async def dependency(
        request: Request,
        session: SessionDep,
        _key: str | None = Security(API_KEY_HEADER, scopes=names),
        _bearer: HTTPAuthorizationCredentials | None = Security(BEARER, scopes=names),
    ) -> Principal:
        resolution = await resolve(request)
        principal = authorize(resolution.require(), access)
        runtime: Runtime = request.app.state.runtime
        _leave_recheck(request, runtime, resolution, access)  # for a streamed (SSE) answer
        await idempotency.claim(request, runtime, owner=f"org:{principal.organization_id}|{principal.subject}")
        return await principal.attach(session)

    return declare(dependency, access)


def socket_requires(*scopes: Scope) -> Callable[..., Awaitable[Principal]]:
    """The WebSocket form of :func:`requires`: a refusal closes the socket with 4000 + the
    HTTP status and the reason (``kit.handlers``). The principal is not attached to a
    session: a socket outlives any one unit of work."""
    access = Access(frozenset(s.value for s in scopes))

    async def dependency(websocket: WebSocket) -> Principal:
        resolution = await resolve(websocket)
        principal = authorize(resolution.require(), access)
        _leave_recheck(websocket, websocket.app.state.runtime, resolution, access)
        return principal

    return declare(dependency, access)


def _leave_recheck(conn: HTTPConnection, runtime: Runtime, resolution: Resolution, access: Access) -> None:
    """A socket, or a streamed response, outlives its access check: ``kit.streams`` asks this
    again while the stream is open and ends it once the credential no longer admits it."""

    async def still_admitted() -> bool:
        fresh = await resolve_credentials(runtime, resolution.credentials)
        try:
            authorize(fresh.require(), access)
        except AtelierError:
            return False
        return True

    conn.scope.setdefault("state", {})[RECHECK_STATE] = still_admitted


async def _public() -> None:
    return None


#: For ``dependencies=[PUBLIC]``: the route is open to anyone (login, health, signed URLs).
PUBLIC = Depends(declare(_public, Access(public=True)))

#: What an administrator's route asks for.
ADMIN_ACCESS = Access(frozenset({Scope.ADMIN.value}), admin=True)

ReadPrincipal = Annotated[Principal, Depends(requires(Scope.READ))]
GeneratePrincipal = Annotated[Principal, Depends(requires(Scope.GENERATE))]
#: Following one's own work: a generate-only key may poll the jobs it submits.
JobsPrincipal = Annotated[Principal, Depends(requires(Scope.GENERATE, Scope.READ))]
GalleryPrincipal = Annotated[Principal, Depends(requires(Scope.GALLERY))]
KeysPrincipal = Annotated[Principal, Depends(requires(Scope.KEYS))]
AccountPrincipal = Annotated[Principal, Depends(requires(Scope.ACCOUNT))]
BillingPrincipal = Annotated[Principal, Depends(requires(Scope.BILLING))]
WebhooksPrincipal = Annotated[Principal, Depends(requires(Scope.WEBHOOKS))]
AdminPrincipal = Annotated[Principal, Depends(requires(Scope.ADMIN, admin=True))]
ReadSocketPrincipal = Annotated[Principal, Depends(socket_requires(Scope.READ, Scope.GENERATE))]


def declared_access(dependant: Dependant) -> list[Access]:
    found: list[Access] = []
    stack = [dependant]
    while stack:
        current = stack.pop()
        access = getattr(current.call, ACCESS_ATTRIBUTE, None)
        if isinstance(access, Access):
            found.append(access)
        stack.extend(current.dependencies)
    return found


#: FastAPI's own documentation routes.
_DOC_PATHS = frozenset({"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"})


def route_access(app: FastAPI) -> Iterable[tuple[str, str, list[Access]]]:
    """(methods, path, declarations) for every route of ``app``, compat prefixes included."""
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        path = str(context.path)
        if isinstance(route, APIRoute):
            yield ",".join(sorted(context.methods or ())), path, declared_access(route.dependant)
        elif isinstance(route, APIWebSocketRoute):
            yield "WS", path, declared_access(route.dependant)
        elif path not in _DOC_PATHS:
            yield "?", path, []


def check_routes(app: FastAPI) -> None:
    """Refuse to build an application with a route that declares no access."""
    undeclared = [f"{methods} {path}" for methods, path, found in route_access(app) if not found]
    if undeclared:
        raise RuntimeError("Routes must declare their access (auth.access.requires/PUBLIC): " + ", ".join(undeclared))
