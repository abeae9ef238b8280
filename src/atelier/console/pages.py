"""Rendering console pages, and who may see them.

A page names its caller with :data:`ConsolePrincipal` (a signed-in person; the page is sent
to the sign-in form otherwise) or :data:`ConsoleAdmin`. Both are access declarations of
``auth.access`` and read the principal ``auth.principal`` resolved once for the request (the
session cookie is one of its credential kinds)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from atelier import __version__
from atelier.auth.access import Access, declare
from atelier.auth.principal import Principal, resolve
from atelier.auth.scopes import Scope
from atelier.console import csrf
from atelier.console.session import SESSION_COOKIE, ensure_nonce
from atelier.kit.errors import Forbidden
from atelier.kit.runtime import Runtime

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


class SignInRequired(Exception):
    """A page asked for a signed-in person and there is none: go to the sign-in form."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


async def sign_in_redirect(request: Request, exc: Exception) -> Response:
    path = exc.path if isinstance(exc, SignInRequired) else "/"
    return RedirectResponse(f"/sign-in?next={quote(path)}", status_code=303)


async def _signed_in(request: Request) -> Principal:
    resolution = await resolve(request)
    if resolution.principal is None:
        raise SignInRequired(request.url.path)
    if not resolution.principal.has_scope(Scope.READ.value):
        raise Forbidden("This API key lacks the 'read' scope", code="INSUFFICIENT_SCOPE")
    return resolution.principal


async def _admin(request: Request) -> Principal:
    principal = await _signed_in(request)
    if not principal.user.is_admin:
        raise Forbidden("Administrator role required", code="ADMIN_REQUIRED")
    return principal


ConsolePrincipal = Annotated[Principal, Depends(declare(_signed_in, Access(frozenset({Scope.READ.value}))))]
ConsoleAdmin = Annotated[Principal, Depends(declare(_admin, Access(frozenset({Scope.ADMIN.value}), admin=True)))]


def csrf_context(request: Request) -> tuple[str, str]:
    """(nonce, token) for this browser and session: the nonce cookie, or a new one."""
    runtime: Runtime = request.app.state.runtime
    nonce = request.cookies.get(csrf.NONCE_COOKIE) or new_nonce_for(request)
    return nonce, csrf.token_for(runtime.secret, nonce, request.cookies.get(SESSION_COOKIE))


def new_nonce_for(request: Request) -> str:
    state = request.scope.setdefault("state", {})
    nonce: str = state.setdefault("atelier.csrf_nonce", csrf.new_nonce())
    return nonce


def form_token_ok(request: Request, presented: str | None) -> bool:
    runtime: Runtime = request.app.state.runtime
    return csrf.verify(
        runtime.secret, request.cookies.get(csrf.NONCE_COOKIE), request.cookies.get(SESSION_COOKIE), presented
    )


def render(
    request: Request, name: str, *, principal: Principal | None = None, status_code: int = 200, **context: Any
) -> Response:
    nonce, token = csrf_context(request)
    runtime: Runtime = request.app.state.runtime
    response = TEMPLATES.TemplateResponse(
        request,
        name,
        {
            "user": principal.user if principal else None,
            "organization": principal.organization if principal else None,
            "csrf_token": token,
            "open_registration": runtime.settings.auth.open_registration,
            "version": __version__,
            "path": request.url.path,
            **context,
        },
        status_code=status_code,
    )
    ensure_nonce(response, request, nonce)
    return response
