"""Sign in, register and sign out: HTML forms with a CSRF token, over the accounts service."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.responses import Response

from atelier.accounts import service
from atelier.accounts.models import User
from atelier.accounts.schemas import RegisterIn
from atelier.auth.access import PUBLIC
from atelier.auth.principal import resolve
from atelier.console.pages import form_token_ok, render
from atelier.console.session import clear_session, set_session
from atelier.kit.deps import RuntimeDep, SessionDep
from atelier.kit.errors import AtelierError
from atelier.kit.runtime import Runtime

router = APIRouter(include_in_schema=False, dependencies=[PUBLIC])
EXPIRED = "This form expired (or came from another site). Please try again."


def safe_next(target: str | None) -> str:
    """Only a path on this server: never an open redirect to another host."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/playground"
    return target


def _signed_in_response(request: Request, runtime: Runtime, user: User, target: str) -> Response:
    token, expires = service.issue_token(user, runtime.settings, runtime.secret)
    response = RedirectResponse(safe_next(target), status_code=303)
    set_session(response, request, token, expires)  # type: ignore[arg-type]
    return response


@router.get("/")
async def home(request: Request) -> Response:
    signed_in = (await resolve(request)).principal is not None
    return RedirectResponse("/playground" if signed_in else "/sign-in", status_code=303)


@router.get("/sign-in")
async def sign_in_page(request: Request, next: str = "/playground") -> Response:
    return render(request, "sign_in.html", next=safe_next(next))


@router.post("/sign-in")
async def sign_in(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    email: str = Form(""),
    password: str = Form(""),
    csrf_token: str = Form(""),
    next: str = Form("/playground"),
) -> Response:
    if not form_token_ok(request, csrf_token):
        return render(request, "sign_in.html", next=safe_next(next), email=email, error=EXPIRED, status_code=403)
    try:
        ip = request.client.host if request.client else None
        user = await service.login(session, runtime.sessions, email=email, password=password, ip=ip)
    except AtelierError as exc:
        return render(
            request, "sign_in.html", next=safe_next(next), email=email, error=exc.message, status_code=exc.status_code
        )
    return _signed_in_response(request, runtime, user, next)


@router.get("/register")
async def register_page(request: Request, runtime: RuntimeDep) -> Response:
    closed = not runtime.settings.auth.open_registration
    return render(request, "register.html", closed=closed, status_code=403 if closed else 200)


@router.post("/register")
async def register(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    email: str = Form(""),
    password: str = Form(""),
    full_name: str = Form(""),
    csrf_token: str = Form(""),
) -> Response:
    def again(error: str, status: int) -> Response:
        return render(request, "register.html", email=email, full_name=full_name, error=error, status_code=status)

    if not runtime.settings.auth.open_registration:
        return render(request, "register.html", closed=True, status_code=403)
    if not form_token_ok(request, csrf_token):
        return again(EXPIRED, 403)
    try:
        body = RegisterIn(email=email, password=password, full_name=full_name or None)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return again(problems, 422)
    try:
        user = await service.create_user(
            session, runtime.settings, email=body.email, password=body.password, full_name=body.full_name
        )
    except AtelierError as exc:
        return again(exc.message, exc.status_code)
    return _signed_in_response(request, runtime, user, "/playground")


@router.post("/sign-out")
async def sign_out(request: Request, csrf_token: str = Form("")) -> Response:
    if not form_token_ok(request, csrf_token):
        return render(request, "sign_in.html", next="/playground", error=EXPIRED, status_code=403)
    response = RedirectResponse("/sign-in", status_code=303)
    clear_session(response, request)
    return response
