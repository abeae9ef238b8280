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

    async def lock_active_admins(self) -> list[str]:
        """The active admins' ids, their rows locked until the transaction ends (PostgreSQL;
        SQLite has one writer at a time), so two demotions cannot both see another admin."""
        query = select(User.id).where(User.role == Role.ADMIN.value, User.is_active.is_(True)).with_for_update()
        return list((await self.session.execute(query)).scalars())


class OrganizationRepository(RepositoryBase[Organization]):
    model = Organization
