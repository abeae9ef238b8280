"""Dreamy Studio's profile routes on Atelier's accounts service."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import Field

from atelier.accounts import service as accounts
from atelier.accounts.models import User
from atelier.auth.dependencies import AccountPrincipal, ReadPrincipal
from atelier.compat.dreamy_studio.body import DreamyBody
from atelier.compat.errors import timestamp
from atelier.kit.deps import SessionDep

router = APIRouter()


class ProfileUpdate(DreamyBody):
    full_name: str | None = Field(None, max_length=200)
    avatar_url: str | None = Field(None, max_length=2000, pattern=r"^https?://")


def iso(value: Any) -> str:
    return str(value.isoformat().replace("+00:00", "Z")) if value else timestamp()


def user_body(user: User, *, with_created: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": user.id,
        "email": user.email,
        "full_name": user.full_name,
        "avatar_url": user.avatar_url,
    }
    if with_created:
        body["created_at"] = iso(user.created_at)
    body["updated_at"] = iso(user.updated_at)
    return body


@router.get("/api/auth/me")
async def get_me(principal: ReadPrincipal) -> dict[str, Any]:
    return {"success": True, "user": user_body(principal.user)}


@router.patch("/api/auth/me")
async def patch_me(body: ProfileUpdate, principal: AccountPrincipal, session: SessionDep) -> dict[str, Any]:
    user = await accounts.update_profile(
        session, principal.user, **body.model_dump(exclude_unset=True), fields_set=body.model_fields_set
    )
    return {"success": True, "user": user_body(user, with_created=False)}
