"""Database plumbing: the declarative base with a constraint naming convention, UTC
timestamps, the async engine and session factory."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always returns aware UTC datetimes (SQLite forgets)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


#: The SQLite database and the files SQLite keeps beside it (WAL mode).
SQLITE_SUFFIXES = ("", "-wal", "-shm")


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL (None for another database or an in-memory one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _keep_sqlite_files_private(engine: AsyncEngine, database: Path) -> None:
    """The database, its WAL and shared-memory files readable by this account only (0600),
    whatever the umask. The file is created 0600 before SQLite opens it, and SQLite creates
    the WAL and -shm files with the database's mode; a chmod on every connection covers files
    an older version or a copy left looser."""

    @event.listens_for(engine.sync_engine, "do_connect")
    def _create_private(*_args: Any) -> None:
        if not database.exists() and database.parent.is_dir():
            with contextlib.suppress(FileExistsError):  # an empty file is a new database
                os.close(os.open(database, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        # None: SQLAlchemy goes on to connect as usual

    @event.listens_for(engine.sync_engine, "connect")
    def _chmod(*_args: Any) -> None:
        for suffix in SQLITE_SUFFIXES:
            with contextlib.suppress(FileNotFoundError):
                database.with_name(database.name + suffix).chmod(0o600)


class _SQLiteConnection(sqlite3.Connection):
    """Rolls back before closing. A connection closed while one of its statements is still
    pending (a task canceled between a SELECT's first step and its fetch: SQLAlchemy then
    closes the connection) is kept alive by SQLite as a zombie until that statement is
    finalized (sqlite3_close_v2), its transaction and the write lock with it, so every other
    writer would wait for ever. A rollback aborts pending statements and ends the transaction
    first. Runs on aiosqlite's thread, for a graceful close and a forced one alike."""

    def close(self) -> None:
        if self.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.rollback()
        super().close()


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    if url.startswith("sqlite"):
        connect_args = {"timeout": 60, "isolation_level": None, "factory": _SQLiteConnection}
        engine = create_async_engine(url, echo=echo, connect_args=connect_args)
        _make_sqlite_transactions_immediate(engine)
        database = sqlite_file(url)
        if database is not None:
            _keep_sqlite_files_private(engine, database)
        return engine
    return create_async_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _make_sqlite_transactions_immediate(engine: AsyncEngine) -> None:
    """SQLite upgrades a read transaction to a write one by failing with SQLITE_BUSY when
    another writer got there first. Taking the write lock at BEGIN makes concurrent
    transactions queue on the busy timeout instead, so read-then-write logic stays exact.
    Keep sessions short: a session holds the lock until it commits or closes."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        # a session that only reads takes no lock: WAL lets it read beside the one writer
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)


#: Execution option of sessions that only read (``create_read_sessionmaker``).
READ_ONLY = "atelier_read_only"


def create_read_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for work that only reads. On SQLite they begin a plain (deferred) transaction
    instead of taking the write lock, so reads never queue behind writers; a write attempted
    in one may fail with SQLITE_BUSY instead of waiting, so never write in them."""
    return async_sessionmaker(engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False, autoflush=False)


@asynccontextmanager
async def session_scope(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """One unit of work: commits once at the end, rolls back on any error."""
    async with factory() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


def rowcount(result: Any) -> int:
    """Rows an UPDATE/DELETE matched (the typed Result does not declare it)."""
    return int(result.rowcount)
