from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from atelier.organizations.models import OrgRole


class OrganizationOut(BaseModel):
    id: str
    name: str
    plan: str
    created_at: datetime
    role: str = Field(description="The caller's role in this organization.")
    members: int


class MembershipOut(BaseModel):
    organization_id: str
    name: str
    role: str
    joined_at: datetime


class MemberOut(BaseModel):
    user_id: str
    email: str
    full_name: str | None
    role: str
    is_active: bool
    joined_at: datetime


class InvitationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: EmailStr
    role: OrgRole = Field(OrgRole.MEMBER, description="viewer, member, admin or owner (owners only invite owners).")


class InvitationOut(BaseModel):
    id: str
    organization_id: str
    email: str
    role: str
    expires_at: datetime
    delivery: Literal["email", "shown"] = Field(
        description="`email`: mailed to the invitee (SMTP is configured); `shown`: pass token and accept_url on."
    )
    token: str | None = Field(None, description="Only when delivery is `shown`; used once.")
    accept_url: str | None = Field(None, description="Only when delivery is `shown`: POST it as the invitee.")


class RoleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: OrgRole


class RemovedOut(BaseModel):
    user_id: str
    organization_id: str
    keys_revoked: int


class DeletedOut(BaseModel):
    organization_id: str
    keys_revoked: int
    members_removed: int
    jobs_canceled: int
    assets_deleted: int
