"""Writers of one process take turns for SQLite's write lock in a queue of their own, first
come first served, instead of in SQLite's busy handler, which sleeps and retries (up to 100 ms
between tries) and let late arrivals overtake a sleeping waiter: requests starved for seconds
at 16 concurrent requests (``bench/bench_gateway.py``: p99 five times the median).

The engines here are given a busy timeout of 0, so a writer that ever met another's lock in
SQLite fails at once with "database is locked" instead of waiting."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from atelier.kit.db import (
    QueuedSQLiteConnection,
    _sqlite_creator,
    _SQLiteConnection,
    create_engine,
    create_read_sessionmaker,
    create_sessionmaker,
    session_scope,
)


@dataclass
class Tables:
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    raw: QueuedSQLiteConnection


@asynccontextmanager
async def _table(database: Path, column: str = "v INTEGER", **options: float) -> AsyncIterator[Tables]:
    """An engine over ``database`` with one table ``t (column)``, its session factory and the
    pool's first connection (where the engine's writer queue and trip count can be read)."""
    engine = create_engine(f"sqlite+aiosqlite:///{database}", **options)
    sessions = create_sessionmaker(engine)
    try:
        async with session_scope(sessions) as session:
            await session.execute(text(f"CREATE TABLE t ({column})"))
        async with engine.connect() as connection:
            raw = (await connection.get_raw_connection()).driver_connection
        assert isinstance(raw, QueuedSQLiteConnection)
        yield Tables(engine, sessions, raw)
    finally:
        await engine.dispose()


async def test_writers_queue_in_arrival_order_and_never_meet_the_busy_handler(tmp_path: Path) -> None:
    async with _table(tmp_path / "writers.db", sqlite_busy_timeout=0) as db:
        sessions = db.sessions
        turn = db.raw._queue.lock()  # the engine's queue, as this loop sees it
        first_holds, all_arrived = asyncio.Event(), asyncio.Event()

        async def writer(value: int) -> None:
            async with session_scope(sessions) as session:
                await session.execute(text("INSERT INTO t VALUES (:v)"), {"v": value})
                if value == 0:
                    first_holds.set()
                    await all_arrived.wait()  # holds the lock while every other writer arrives
                else:
                    await asyncio.sleep(0)

        tasks = [asyncio.create_task(writer(0))]
        await first_holds.wait()
        for value in range(1, 8):
            tasks.append(asyncio.create_task(writer(value)))
            for _ in range(3000):  # until it waits its turn (bounded): arrivals in a known order
                if len(turn._waiters or ()) == value:  # type: ignore[attr-defined]
                    break
                await asyncio.sleep(0.01)
            assert len(turn._waiters or ()) == value  # type: ignore[attr-defined]
        all_arrived.set()
        await asyncio.gather(*tasks)
        async with create_read_sessionmaker(db.engine)() as session:
            order = [row[0] for row in await session.execute(text("SELECT v FROM t ORDER BY rowid"))]
        assert order == list(range(8))


async def test_a_failed_transaction_gives_up_its_turn(tmp_path: Path) -> None:
    async with _table(tmp_path / "failed.db", "v INTEGER NOT NULL", sqlite_busy_timeout=0) as db:
        sessions = db.sessions
        with pytest.raises(Exception, match="NOT NULL"):
            async with session_scope(sessions) as session:
                await session.execute(text("INSERT INTO t VALUES (NULL)"))
        for value in range(3):  # the next writers are not stuck behind it
            async with session_scope(sessions) as session:
                await session.execute(text("INSERT INTO t VALUES (:v)"), {"v": value})
        async with create_read_sessionmaker(db.engine)() as session:
            assert (await session.execute(text("SELECT count(*) FROM t"))).scalar() == 3


async def test_another_process_holding_the_lock_still_meets_the_busy_timeout(tmp_path: Path) -> None:
    database = tmp_path / "other.db"
    async with _table(database, sqlite_busy_timeout=0) as db:
        sessions = db.sessions
        other = sqlite3.connect(database, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(OperationalError, match="database is locked"):
                async with session_scope(sessions) as session:
                    await session.execute(text("INSERT INTO t VALUES (1)"))
        finally:
            other.execute("ROLLBACK")
            other.close()
        async with session_scope(sessions) as session:  # and its turn was given up
            await session.execute(text("INSERT INTO t VALUES (2)"))


async def test_statements_and_their_begin_are_one_trip_each_to_the_connection_thread(tmp_path: Path) -> None:
    async with _table(tmp_path / "trips.db") as db:
        raw = db.raw
        before = raw.trips
        async with session_scope(db.sessions) as session:  # BEGIN + 3 statements + COMMIT
            await session.execute(text("INSERT INTO t VALUES (1)"))
            await session.execute(text("INSERT INTO t VALUES (2)"))
            assert (await session.execute(text("SELECT count(*) FROM t"))).scalar() == 2
        assert raw.trips - before == 4  # the BEGIN rides with the first statement; no reset trip
        assert raw.thread_trips == 0  # each ran on the loop: no lock to wait for


async def test_a_lock_another_connection_holds_is_waited_for_off_the_event_loop(tmp_path: Path) -> None:
    """SQLite's busy handler sleeps in the calling thread: a statement run on the loop meeting
    another process's lock would freeze every request until the lock is free. It goes to the
    connection's thread instead, and the loop goes on: here the loop itself frees the lock
    while the writer waits (were the loop blocked, the writer would fail after its timeout)."""
    database = tmp_path / "waiting.db"
    async with _table(database, sqlite_busy_timeout=30) as db:
        other = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        try:

            async def write() -> None:
                async with session_scope(db.sessions) as session:
                    await session.execute(text("INSERT INTO t VALUES (7)"))

            writer = asyncio.create_task(write())
            for _ in range(3000):  # bounded: until the writer waits on the thread
                if db.raw.on_thread:
                    break
                await asyncio.sleep(0.01)
            assert db.raw.on_thread == 1 and not writer.done()
        finally:
            other.execute("ROLLBACK")
            other.close()
        await writer
        assert db.raw.thread_trips == 1  # only the BEGIN IMMEDIATE that met the lock
        async with create_read_sessionmaker(db.engine)() as session:
            assert (await session.execute(text("SELECT v FROM t"))).scalar() == 7


async def test_a_trip_canceled_before_it_ran_still_ends_its_transaction(tmp_path: Path) -> None:
    """A statement whose task is canceled while its trip waits behind another call still runs
    (BEGIN IMMEDIATE included) once the thread gets to it: the rollback that follows must be a
    real one, queued behind it, or the connection would keep SQLite's write lock."""
    database = tmp_path / "interrupted.db"
    connect = _sqlite_creator(str(database), {"timeout": 0, "isolation_level": None, "factory": _SQLiteConnection})
    connection = await connect()
    assert isinstance(connection, QueuedSQLiteConnection)
    try:
        busy = asyncio.create_task(connection.thread_call(lambda: time.sleep(0.3)))  # the thread is busy
        await asyncio.sleep(0.05)
        cursor = connection.cursor()
        await cursor.execute("BEGIN IMMEDIATE")
        statement = asyncio.create_task(cursor.execute("CREATE TABLE t (v INTEGER)"))
        await asyncio.sleep(0.05)  # its trip is queued behind the busy call
        statement.cancel()
        await asyncio.gather(statement, return_exceptions=True)
        await connection.rollback()
        await busy

        def take_the_write_lock() -> None:
            probe = sqlite3.connect(database, timeout=0, isolation_level=None)
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
            finally:
                probe.close()

        await asyncio.to_thread(take_the_write_lock)
    finally:
        await connection.close()
