from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from atelier.kit.db import Base, UTCDateTime, utcnow


class ContentPolicyOverride(Base):
    """An organization's content policy where it differs from the settings' default: each
    field unset (null) inherits the default."""

    __tablename__ = "content_policies"

    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True)
    #: Category → block | flag | allow, over the default's.
    categories: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    text_threshold: Mapped[float | None] = mapped_column(Float, default=None)
    profanity_threshold: Mapped[float | None] = mapped_column(Float, default=None)
    image_threshold: Mapped[float | None] = mapped_column(Float, default=None)
    #: Category → the organization's own block-list terms, added to the shipped lists.
    blocked_terms: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_by: Mapped[str | None] = mapped_column(String(40), default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
