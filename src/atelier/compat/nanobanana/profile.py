"""NanoBanana's profile routes as its dashboard's settings page calls them, on Atelier's
accounts service: read and change the email, change the password. A password change needs
the current password and, like Atelier's own, ends every session issued before it; a wrong
current password is a 401, which the page shows as "current password is incorrect"."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel, EmailStr, Field

from atelier.accounts import service as accounts
from atelier.auth.dependencies import AccountPrincipal, ReadPrincipal
from atelier.compat.nanobanana.accounts import UserOut, user_out
from atelier.kit.deps import SessionDep
from atelier.kit.errors import Forbidden, Unauthorized

router = APIRouter()


class ProfileIn(BaseModel):
    email: EmailStr


class PasswordIn(BaseModel):
    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=8, max_length=256)


@router.get("/v1/auth/me", response_model=UserOut)
async def get_me(principal: ReadPrincipal) -> UserOut:
    return user_out(principal.user)


@router.put("/v1/auth/me", response_model=UserOut)
async def put_me(body: ProfileIn, principal: AccountPrincipal, session: SessionDep) -> UserOut:
    user = await accounts.update_profile(session, principal.user, email=body.email, fields_set={"email"})
    return user_out(user)


@router.post("/v1/auth/me/password", status_code=204)
async def change_password(body: PasswordIn, principal: AccountPrincipal, session: SessionDep) -> Response:
    try:
        await accounts.update_profile(
            session,
            principal.user,
            password=body.new_password,
            current_password=body.current_password,
            fields_set={"password"},
        )
    except Forbidden as exc:
        if exc.code != "INVALID_CURRENT_PASSWORD":
            raise
        raise Unauthorized("Current password is incorrect", code="INVALID_CURRENT_PASSWORD") from exc
    return Response(status_code=204)
