from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from atelier.kit.db import Base, TimestampMixin, UTCDateTime


class HeldObject(TimestampMixin, Base):
    """An object the storage backend refused, kept here until it takes uploads again."""

    __tablename__ = "storage_fallback"

    key: Mapped[str] = mapped_column(String(1024), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    content_type: Mapped[str] = mapped_column(String(140))
    size: Mapped[int] = mapped_column(Integer)
    #: The drain that is moving it to the backend, and until when that claim holds.
    claim: Mapped[str | None] = mapped_column(String(40), default=None)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
