"""The one generic repository every domain's repository builds on. All SQL lives in
repositories; services call them and never commit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.kit.db import Base

M = TypeVar("M", bound=Base)


class RepositoryBase(Generic[M]):
    model: type[M]

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, id_: Any) -> M | None:
        return await self.session.get(self.model, id_)

    async def add(self, obj: M, *, flush: bool = True) -> M:
        self.session.add(obj)
        if flush:
            await self.session.flush()
        return obj

    async def delete(self, obj: M) -> None:
        await self.session.delete(obj)
        await self.session.flush()

    async def one_or_none(self, stmt: Select[Any]) -> M | None:
        result: M | None = (await self.session.execute(stmt)).scalar_one_or_none()
        return result

    async def all(self, stmt: Select[Any]) -> Sequence[M]:
        rows: Sequence[M] = (await self.session.execute(stmt)).scalars().all()
        return rows

    async def count(self, stmt: Select[Any]) -> int:
        total = await self.session.execute(select(func.count()).select_from(stmt.order_by(None).subquery()))
        return int(total.scalar_one())

    def select(self) -> Select[Any]:
        return select(self.model)
