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

    async def admin_count(self) -> int:
        return await self.count(select(User).where(User.role == Role.ADMIN.value, User.is_active.is_(True)))


class OrganizationRepository(RepositoryBase[Organization]):
    model = Organization
