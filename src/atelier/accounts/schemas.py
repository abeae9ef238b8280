from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from atelier.accounts.models import Role


class RegisterIn(BaseModel):
    email: EmailStr
    password: str = Field(min_length=8, max_length=256)
    full_name: str | None = Field(None, max_length=200)


class LoginIn(BaseModel):
    email: EmailStr
    password: str = Field(min_length=1, max_length=256)


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime


class OrganizationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    name: str
    plan: str


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    email: str
    full_name: str | None
    avatar_url: str | None
    role: str
    is_active: bool
    organization_id: str
    created_at: datetime
    updated_at: datetime


class MeOut(UserOut):
    organization: OrganizationOut


class MeUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    full_name: str | None = Field(None, max_length=200)
    avatar_url: str | None = Field(None, max_length=2000, pattern=r"^https?://")
    password: str | None = Field(None, min_length=8, max_length=256)
    current_password: str | None = Field(
        None, min_length=1, max_length=256, description="Required with `password`: the password being replaced."
    )


class StatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    active: bool = Field(description="false disables the account: its keys and every JWT stop working at once.")


class RoleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Role = Field(description="admin or member.")
