from __future__ import annotations

from sqlalchemy import func, select

from atelier.accounts.models import Organization, Role, User
from atelier.kit.repository import RepositoryBase


class UserRepository(RepositoryBase[User]):
    model = User

    async def by_email(self, email: str) -> User | None:
        return await self.one_or_none(select(User).where(func.lower(User.email) == email.lower()))

    async def total(self) -> int:
        return await self.count(select(User))

    async def page(self, *, email: str | None, limit: int, offset: int) -> list[User]:
        """Users, newest first; ``email``: only those whose address contains it."""
        stmt = select(User).order_by(User.created_at.desc(), User.id).limit(limit).offset(offset)
        if email:
            pattern = "%" + email.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            stmt = stmt.where(func.lower(User.email).like(pattern, escape="\\"))
        return list((await self.session.execute(stmt)).scalars())

    async def lock_active_admins(self) -> list[str]:
        """The active admins' ids, their rows locked until the transaction ends (PostgreSQL;
        SQLite has one writer at a time), so two demotions cannot both see another admin."""
        query = select(User.id).where(User.role == Role.ADMIN.value, User.is_active.is_(True)).with_for_update()
        return list((await self.session.execute(query)).scalars())


class OrganizationRepository(RepositoryBase[Organization]):
    model = Organization

    async def page(self, *, limit: int, offset: int) -> list[tuple[Organization, int]]:
        """Organizations, newest first, each with how many users it has."""
        members = select(User.organization_id, func.count(User.id).label("n")).group_by(User.organization_id).subquery()
        stmt = (
            select(Organization, func.coalesce(members.c.n, 0))
            .outerjoin(members, members.c.organization_id == Organization.id)
            .order_by(Organization.created_at.desc(), Organization.id)
            .limit(limit)
            .offset(offset)
        )
        return [(org, int(n)) for org, n in (await self.session.execute(stmt)).all()]
