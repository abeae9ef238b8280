from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from atelier.kit.db import Base, TimestampMixin
from atelier.kit.ids import new_id


class Project(TimestampMixin, Base):
    __tablename__ = "projects"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("prj"))
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text, default=None)
    #: A client-chosen handle (e.g. NanoDesigner's ``project_id``), unique per organization.
    slug: Mapped[str | None] = mapped_column(String(200), default=None, index=True)
