from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from atelier.kit.db import Base, TimestampMixin
from atelier.kit.ids import new_id


class DesignSpecRecord(TimestampMixin, Base):
    """A structured design spec; its content lives in immutable versions."""

    __tablename__ = "design_specs"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: str(uuid.uuid4()))
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    prompt: Mapped[str] = mapped_column(Text)
    design_type: Mapped[str] = mapped_column(String(40))
    generation_method: Mapped[str] = mapped_column(String(120))
    latest_version: Mapped[int] = mapped_column(Integer, default=1)


class DesignSpecVersion(TimestampMixin, Base):
    __tablename__ = "design_spec_versions"
    __table_args__ = (UniqueConstraint("spec_id", "number"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("specv"))
    spec_id: Mapped[str] = mapped_column(ForeignKey("design_specs.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    author: Mapped[str] = mapped_column(String(200))
