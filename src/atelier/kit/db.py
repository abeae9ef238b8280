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
from sqlalchemy import BindParameter, DateTime, MetaData, bindparam, event
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
    first. Runs on the loop or on aiosqlite's thread, for a graceful close and a forced one alike."""

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
    """A cursor whose statement is one call to the SQLite connection: execute, fetch every
    row and close, then hand SQLAlchemy the rows, description, row count and last row id
    (run on the loop, or on the connection's thread when it must wait: see
    :meth:`QueuedSQLiteConnection._execute`). aiosqlite's own cursor makes three or four trips
    to its thread a statement (create, execute, fetch, close), each a queue put, a thread
    wake-up and an event-loop wake-up (~0.1 ms of CPU). A statement is also never left pending
    when its task is canceled: it is finished (or failed) before its call returns. ``BEGIN``
    makes no call: it goes with the transaction's first statement
    (:meth:`QueuedSQLiteConnection.begin`)."""

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


def _waiting(connection: sqlite3.Connection, busy_ms: int, fn: Callable[..., Any], args: Any, kwargs: Any) -> Any:
    """On the connection's thread: ``fn`` under SQLite's busy handler (``busy_ms``), which
    waits for another connection's lock; the connection's own timeout stays 0."""
    connection.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
    try:
        return fn(*args, **kwargs)
    finally:
        connection.execute("PRAGMA busy_timeout = 0")


def _statement(
    owner: QueuedSQLiteConnection, begin: str | None, sql: str, parameters: Any, many: bool
) -> tuple[Any, list[Any], int, int | None]:
    """The deferred BEGIN if any, then the statement, to the end (on the loop or, when it must
    wait for a lock, on the connection's thread: then again, the BEGIN only if it failed)."""
    connection = owner._conn
    if begin is not None and not connection.in_transaction:
        connection.execute(begin)
        owner.transaction_open = True  # read on the loop once this call has returned
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
    the queue only orders this process's writers. ``trips`` counts the statements and
    transaction ends it ran, ``thread_trips`` those that had to go to its thread."""

    def __init__(self, queue: _WriterQueue, connector: Callable[[], sqlite3.Connection], busy_seconds: float) -> None:
        super().__init__(connector, 64)
        self._queue = queue
        self._turn: asyncio.Lock | None = None
        #: The BEGIN of a transaction no statement has run in yet: it goes with the first.
        self.pending_begin: str | None = None
        #: Whether a BEGIN ran and no COMMIT or ROLLBACK since (the connection is in autocommit
        #: mode otherwise): if not, the pool's rollback of a connection coming back costs no trip.
        self.transaction_open = False
        #: A trip was canceled while its call was still to run or running (see :meth:`thread_call`).
        self.interrupted = False
        self.trips = 0
        #: Calls queued or running on the connection's thread (:meth:`_execute` runs the others
        #: on the loop), and how many went there in all.
        self.on_thread = 0
        self.thread_trips = 0
        #: SQLite's busy timeout for a call that waits for another connection's lock (on the thread).
        self._busy_ms = round(busy_seconds * 1000)

    def cursor(self) -> _OneTripCursor:  # type: ignore[override]
        return _OneTripCursor(self)

    async def trip(self, call: Callable[[], Any]) -> Any:
        self.trips += 1
        return await self._execute(call)

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """Every call to the SQLite connection (statements, commit, rollback, close) comes here.
        It runs right here on the event loop, when nothing is queued or running on the
        connection's thread: a statement is tens of microseconds of SQLite, where a trip to the
        thread and back costs ~0.1 ms of CPU and two wake-ups. Here SQLite never waits: its
        busy timeout is 0 on this path, so a lock held by another connection (another process:
        this process's writers take turns in the queue first) fails at once, and the call goes
        to the thread instead, to wait under SQLite's busy handler. A failed statement changed
        nothing, so running it again there is exact. A statement that runs long (a report
        over many rows) holds the loop while it runs: a request's statements are indexed
        reads and writes of a few rows."""
        if not self._running or self._connection is None:
            raise ValueError("Connection closed")
        if not self.on_thread:
            try:
                return fn(*args, **kwargs)
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:  # its extended codes too
                    raise
            return await self.thread_call(partial(_waiting, self._conn, self._busy_ms, fn, args, kwargs))
        return await self.thread_call(partial(fn, *args, **kwargs))

    async def thread_call(self, call: Callable[[], Any]) -> Any:
        """Run ``call`` on the connection's thread, after what is queued there. Until it has
        run, canceled or not, the connection's other calls queue behind it."""
        loop = asyncio.get_running_loop()
        self.on_thread += 1
        self.thread_trips += 1

        def then() -> Any:
            try:
                return call()
            finally:
                with contextlib.suppress(RuntimeError):  # the loop has closed
                    loop.call_soon_threadsafe(self._thread_done)

        try:
            return await super()._execute(then)  # type: ignore[no-untyped-call]
        except asyncio.CancelledError:
            # the call still runs on the thread, and may begin a transaction after this: the
            # transaction's end must then be a real one, queued behind it
            self.interrupted = True
            raise

    def _thread_done(self) -> None:
        self.on_thread -= 1

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

    # made on its thread, called on the loop as well (never both at once); never waits on the loop
    options = {**connect_args, "check_same_thread": False, "timeout": 0}
    busy_seconds = float(connect_args.get("timeout", SQLITE_LOCK_TIMEOUT))

    async def connect() -> aiosqlite.Connection:
        connection = QueuedSQLiteConnection(queue, lambda: sqlite3.connect(database, **options), busy_seconds)
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


def param(name: str, column: Any) -> BindParameter[Any]:
    """A bound parameter typed like ``column`` (an ORM attribute or a column), for the
    statements of the request path, built once (``functools.cache``) and run with their
    values: building one costs ~0.1 ms of CPU (operators, coercions), more than SQLAlchemy
    spends running it from its compiled cache. Name it apart from the columns an UPDATE or
    INSERT sets (SQLAlchemy keeps those names for itself)."""
    return bindparam(name, type_=column.type)


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
