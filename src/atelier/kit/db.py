"""Database plumbing: the declarative base with a constraint naming convention, UTC
timestamps, the async engine and session factory."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import weakref
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import aiosqlite
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


#: How long a writer waits for SQLite's write lock, in this process's queue and in SQLite's
#: busy handler alike, before failing with "database is locked".
SQLITE_LOCK_TIMEOUT = 60.0
_BEGIN_WRITE = "BEGIN IMMEDIATE"
_BEGIN_READ = "BEGIN"


class _WriterQueue:
    """The connections of one engine waiting for SQLite's write lock, first come first served.

    SQLite's own wait for a lock held by another connection is its busy handler: it sleeps and
    retries (1, 2, 5 … then 100 ms between tries), so under load a waiter keeps losing to
    connections that arrive while it sleeps, and requests starved for seconds (the p99 of
    ``bench/bench_gateway.py`` at 16 concurrent requests was five times its median). Writers of
    this process take their turn here before ``BEGIN IMMEDIATE`` instead, so SQLite's lock is
    normally free when they ask; another process (the CLI, a worker) still meets the busy
    handler. One lock per event loop: an engine can serve several loops one after another."""

    def __init__(self) -> None:
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()

    def lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        found = self._locks.get(loop)
        if found is None:
            found = self._locks[loop] = asyncio.Lock()
        return found


class _OneTripCursor:
    """A cursor whose statement is one trip to the connection's thread: execute, fetch every
    row and close there, then hand SQLAlchemy the rows, description, row count and last row
    id. aiosqlite's own cursor makes three or four trips a statement (create, execute, fetch,
    close), each a queue put, a thread wake-up and an event-loop wake-up (~0.1 ms of CPU). A
    statement is also never left pending when its task is canceled: it is finished (or failed)
    before its trip returns. ``BEGIN`` makes no trip: it goes with the transaction's first
    statement (:meth:`QueuedSQLiteConnection.begin`)."""

    def __init__(self, connection: QueuedSQLiteConnection) -> None:
        self._connection = connection
        self._rows: deque[Any] = deque()
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self.arraysize = 1

    async def execute(self, sql: str, parameters: Any = None) -> _OneTripCursor:
        if sql in (_BEGIN_WRITE, _BEGIN_READ):
            await self._connection.begin(sql)
            return self
        return await self._trip(sql, () if parameters is None else parameters, False)

    async def executemany(self, sql: str, parameters: Any) -> _OneTripCursor:
        return await self._trip(sql, parameters, True)

    async def _trip(self, sql: str, parameters: Any, many: bool) -> _OneTripCursor:
        connection = self._connection
        begin, connection.pending_begin = connection.pending_begin, None
        outcome = await connection.trip(partial(_statement, connection, begin, sql, parameters, many))
        self.description, rows, self.rowcount, self.lastrowid = outcome
        self._rows = deque(rows)
        return self

    async def fetchone(self) -> Any:
        return self._rows.popleft() if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        count = self.arraysize if size is None else size
        return [self._rows.popleft() for _ in range(min(count, len(self._rows)))]

    async def fetchall(self) -> list[Any]:
        rows = list(self._rows)
        self._rows.clear()
        return rows

    async def nextset(self) -> None:
        return None

    async def close(self) -> None:
        self._rows.clear()

    async def __aenter__(self) -> _OneTripCursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()


def _statement(
    owner: QueuedSQLiteConnection, begin: str | None, sql: str, parameters: Any, many: bool
) -> tuple[Any, list[Any], int, int | None]:
    """On the connection's thread: the deferred BEGIN if any, then the statement, to the end."""
    connection = owner._conn
    if begin is not None:
        connection.execute(begin)
        owner.transaction_open = True  # read on the loop once this trip's future is done
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(sql, parameters)
        else:
            cursor.execute(sql, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class QueuedSQLiteConnection(aiosqlite.Connection):
    """aiosqlite's connection (one thread each) with :class:`_OneTripCursor` cursors, that
    takes its turn in a :class:`_WriterQueue` before it begins a write transaction and gives it
    up when the transaction ends (commit, rollback, close). SQLite's lock stays the authority:
    the queue only orders this process's writers. ``trips`` counts the calls sent to its thread."""

    def __init__(self, queue: _WriterQueue, connector: Callable[[], sqlite3.Connection]) -> None:
        super().__init__(connector, 64)
        self._queue = queue
        self._turn: asyncio.Lock | None = None
        #: The BEGIN of a transaction no statement has run in yet: it goes with the first.
        self.pending_begin: str | None = None
        #: Whether a BEGIN ran and no COMMIT or ROLLBACK since (the connection is in autocommit
        #: mode otherwise): if not, the pool's rollback of a connection coming back costs no trip.
        self.transaction_open = False
        #: A trip was canceled while its call was still to run or running (see :meth:`trip`).
        self.interrupted = False
        self.trips = 0

    def cursor(self) -> _OneTripCursor:  # type: ignore[override]
        return _OneTripCursor(self)

    async def trip(self, call: Callable[[], Any]) -> Any:
        self.trips += 1
        try:
            return await self._execute(call)  # type: ignore[no-untyped-call]
        except asyncio.CancelledError:
            # the call still runs on the thread, and may begin a transaction after this: the
            # transaction's end must then be a real trip, queued behind it
            self.interrupted = True
            raise

    async def begin(self, sql: str) -> None:
        if sql == _BEGIN_WRITE and self._turn is None:
            turn = self._queue.lock()
            try:
                async with asyncio.timeout(SQLITE_LOCK_TIMEOUT):  # no task of its own, as wait_for's
                    await turn.acquire()
            except TimeoutError:
                raise sqlite3.OperationalError("database is locked") from None
            self._turn = turn
        self.pending_begin = sql

    def _end(self) -> None:
        self.pending_begin = None
        self.transaction_open = False
        self.interrupted = False
        turn, self._turn = self._turn, None
        if turn is not None and turn.locked():
            turn.release()

    async def _close_transaction(self, end: Callable[[], Awaitable[None]]) -> None:
        try:
            if self.transaction_open or self.interrupted:  # else nothing ran since BEGIN
                self.trips += 1
                await end()
        finally:
            self._end()

    async def commit(self) -> None:
        await self._close_transaction(super().commit)

    async def rollback(self) -> None:
        await self._close_transaction(super().rollback)

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            self._end()

    def stop(self) -> asyncio.Future[Any] | None:
        try:
            return super().stop()
        finally:
            self._end()


def _sqlite_creator(database: str, connect_args: dict[str, Any]) -> Callable[[], Awaitable[aiosqlite.Connection]]:
    queue = _WriterQueue()

    async def connect() -> aiosqlite.Connection:
        connection = QueuedSQLiteConnection(queue, lambda: sqlite3.connect(database, **connect_args))
        connection._thread.daemon = True
        await connection
        return connection

    return connect


def create_engine(url: str, *, echo: bool = False, sqlite_busy_timeout: float = SQLITE_LOCK_TIMEOUT) -> AsyncEngine:
    """``sqlite_busy_timeout``: how long SQLite's busy handler waits for a lock another
    connection holds (tests set 0 to see whether a writer ever met it)."""
    if url.startswith("sqlite"):
        connect_args = {"timeout": sqlite_busy_timeout, "isolation_level": None, "factory": _SQLiteConnection}
        database = sqlite_file(url)
        if database is not None and not make_url(url).query:
            engine = create_async_engine(url, echo=echo, async_creator=_sqlite_creator(str(database), connect_args))
        else:
            engine = create_async_engine(url, echo=echo, connect_args=connect_args)
        _make_sqlite_transactions_immediate(engine)
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
        conn.exec_driver_sql(_BEGIN_READ if conn.get_execution_options().get(READ_ONLY) else _BEGIN_WRITE)


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
