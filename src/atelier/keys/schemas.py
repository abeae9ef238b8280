from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from atelier.auth.scopes import ALL_SCOPES, Scope

KNOWN_SCOPES = ALL_SCOPES


class KeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field("default", min_length=1, max_length=200)
    expires_at: datetime | None = Field(None, description="UTC expiry; must be in the future.")
    expires_in_days: int | None = Field(None, ge=1, le=3650)
    scopes: list[Scope] | None = Field(
        None,
        min_length=1,
        description=f"Subset of {', '.join(KNOWN_SCOPES)}, at most those of the calling credential; "
        "omitted means all of them. An empty list is refused.",
    )


class KeyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


class KeyCreated(KeyOut):
    key: str = Field(description="The full key. Shown once: only its hash is stored.")
