from __future__ import annotations

from sqlalchemy import select

from atelier.keys.models import ApiKey
from atelier.kit.repository import RepositoryBase


class ApiKeyRepository(RepositoryBase[ApiKey]):
    model = ApiKey

    async def by_hash(self, key_hash: str) -> ApiKey | None:
        return await self.one_or_none(select(ApiKey).where(ApiKey.key_hash == key_hash))

    async def for_org(self, organization_id: str, key_id: str) -> ApiKey | None:
        return await self.one_or_none(
            select(ApiKey).where(ApiKey.id == key_id, ApiKey.organization_id == organization_id)
        )

    async def list_for_org(self, organization_id: str) -> list[ApiKey]:
        stmt = select(ApiKey).where(ApiKey.organization_id == organization_id).order_by(ApiKey.created_at.desc())
        return list(await self.all(stmt))
