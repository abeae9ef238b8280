"""The database side of the storage fallback: objects held in ``storage_fallback`` while the
backend refuses uploads. Every operation is one short statement or transaction of its own,
never the caller's session: storage is called from inside request sessions.

On SQLite those sessions take the database's write lock when they begin, so this table is
reached through an engine of its own without that: reads go straight through (WAL), and a
write waits at most ``SQLITE_BUSY_SECONDS`` for the lock before failing."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, delete, func, or_, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from atelier.kit.db import rowcount, utcnow
from atelier.storage.models import HeldObject

log = logging.getLogger("atelier.storage")
SQLITE_BUSY_SECONDS = 5
#: How long ``forget`` waits for another writer's short transaction (a dispatcher's claim, a
#: heartbeat) before deferring; a session of the caller's own holding the lock costs this once.
FORGET_BUSY_MS = 1000
FORGET_ATTEMPTS = 10
TABLE = cast(Table, HeldObject.__table__)


class HeldObjects:
    def __init__(self, engine: AsyncEngine, *, owns_engine: bool = False) -> None:
        self.engine = engine
        self.owns_engine = owns_engine
        #: Deleted here, their rows still waiting for a SQLite write lock (see ``forget``).
        self.forgotten: set[str] = set()
        self._later: set[asyncio.Task[None]] = set()

    @classmethod
    def for_database(cls, url: str, engine: AsyncEngine) -> HeldObjects:
        """Over ``engine`` (the runtime's), or on SQLite over a side engine (see above)."""
        if url.startswith("sqlite"):
            return cls(create_async_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS}), owns_engine=True)
        return cls(engine)

    async def close(self) -> None:
        if self._later:
            await asyncio.wait(self._later, timeout=FORGET_ATTEMPTS * (SQLITE_BUSY_SECONDS + 1))
        if self.owns_engine:
            await self.engine.dispose()

    async def hold(self, key: str, data: bytes, content_type: str, *, max_bytes: int) -> bool:
        """Keep the object (replacing any held under ``key``) unless the table would then
        hold more than ``max_bytes`` in all; False when it would."""
        async with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Holders queue here, so the sum below counts every committed row.
                await conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('atelier.storage_fallback'))"))
            await conn.execute(delete(TABLE).where(TABLE.c.key == key))
            await conn.execute(
                TABLE.insert().values(
                    key=key, data=data, content_type=content_type, size=len(data), created_at=utcnow()
                )
            )
            total = await conn.scalar(select(func.coalesce(func.sum(TABLE.c.size), 0)))
            if int(total or 0) > max_bytes:
                await conn.rollback()
                return False
        return True

    async def read(self, key: str) -> tuple[bytes, str] | None:
        if key in self.forgotten:
            return None
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(TABLE.c.data, TABLE.c.content_type).where(TABLE.c.key == key))).first()
        return (bytes(row.data), str(row.content_type)) if row else None

    async def held_keys(self, keys: list[str]) -> set[str]:
        """Which of ``keys`` are held."""
        if not keys:
            return set()
        async with self.engine.connect() as conn:
            rows = await conn.execute(select(TABLE.c.key).where(TABLE.c.key.in_(keys)))
        return {str(k) for k in rows.scalars()} - self.forgotten

    async def remove(self, key: str) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(delete(TABLE).where(TABLE.c.key == key))

    async def forget(self, key: str) -> None:
        """Delete the object now, or, when a SQLite session holds the write lock past
        ``FORGET_BUSY_MS`` (the caller's own, typically: an asset deleted inside its request),
        at once for this process and in the table as soon as that session ends. Another
        writer's short transaction is waited for: the embedded pass once found the row still
        there because the webhook dispatcher's claim held the lock at that instant."""
        if self.engine.dialect.name != "sqlite":
            await self.remove(key)
            return
        if await self._remove_unless_locked(key):
            return
        self.forgotten.add(key)
        task = asyncio.create_task(self._remove_later(key), name=f"storage-fallback-forget:{key[:80]}")
        self._later.add(task)
        task.add_done_callback(self._later.discard)

    async def _remove_unless_locked(self, key: str) -> bool:
        async with self.engine.connect() as conn:
            await conn.exec_driver_sql(f"PRAGMA busy_timeout = {FORGET_BUSY_MS}")
            try:
                await conn.execute(delete(TABLE).where(TABLE.c.key == key))
                await conn.commit()
            except OperationalError:
                await conn.rollback()
                return False
            finally:
                await conn.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_SECONDS * 1000}")
        return True

    async def _remove_later(self, key: str) -> None:
        for _ in range(FORGET_ATTEMPTS):
            try:
                await self.remove(key)
            except OperationalError:
                await asyncio.sleep(0.5)
                continue
            self.forgotten.discard(key)
            return
        log.error("could not delete %s from the storage fallback; this process no longer serves it", key)

    async def stats(self) -> tuple[int, int]:
        """How many objects are held, and their bytes."""
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(func.count(), func.coalesce(func.sum(TABLE.c.size), 0)))).one()
        return int(row[0]), int(row[1])

    async def listing(self) -> list[tuple[str, datetime]]:
        """Every held object's key and when it was held."""
        async with self.engine.connect() as conn:
            rows = await conn.execute(select(TABLE.c.key, TABLE.c.created_at))
        return [(str(key), created) for key, created in rows if key not in self.forgotten]

    async def oldest(self, limit: int) -> list[str]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(select(TABLE.c.key).order_by(TABLE.c.created_at).limit(limit))
        return [str(k) for k in rows.scalars() if k not in self.forgotten]

    async def claim(self, key: str, token: str, *, lease_seconds: float) -> tuple[bytes, str] | None:
        """Take ``key`` for moving, unless another drain holds an unexpired claim on it: a
        conditional update, so of several drains exactly one wins. The object when won."""
        now = utcnow()
        async with self.engine.begin() as conn:
            won = await conn.execute(
                update(TABLE)
                .where(TABLE.c.key == key, or_(TABLE.c.claimed_until.is_(None), TABLE.c.claimed_until < now))
                .values(claim=token, claimed_until=now + timedelta(seconds=lease_seconds))
            )
        if not rowcount(won):
            return None
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(TABLE.c.data, TABLE.c.content_type).where(TABLE.c.key == key, TABLE.c.claim == token)
                )
            ).first()
        return (bytes(row.data), str(row.content_type)) if row else None

    async def release(self, key: str, token: str) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(
                update(TABLE).where(TABLE.c.key == key, TABLE.c.claim == token).values(claim=None, claimed_until=None)
            )

    async def finish(self, key: str, token: str) -> bool:
        """Delete the moved object if this drain's claim still stands (a conditional
        delete); False when the row was deleted or claimed by another drain meanwhile."""
        async with self.engine.begin() as conn:
            done = await conn.execute(delete(TABLE).where(TABLE.c.key == key, TABLE.c.claim == token))
        return bool(rowcount(done))
