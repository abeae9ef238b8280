"""A task canceled in the middle of a statement must not leave SQLite's write lock behind.

Found as a teardown hang of the embedded pass (about one run in a hundred): a job's final
transaction was canceled at shutdown between a SELECT's first step and its fetch. SQLAlchemy
closes a connection interrupted that way; SQLite keeps a connection whose statement is still
pending alive as a "zombie" (sqlite3_close_v2), transaction and write lock included, so the
job's release, and every later writer, waited on the lock for ever."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

from atelier.kit.db import QueuedSQLiteConnection, create_engine, create_sessionmaker, session_scope


async def test_a_transaction_canceled_mid_statement_releases_the_write_lock(tmp_path: Path) -> None:
    database = tmp_path / "cancel.db"
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    stepping = threading.Event()

    @event.listens_for(engine.sync_engine, "connect")
    def _slow_function(dbapi_conn: Any, _record: Any) -> None:
        def slow(value: int) -> int:
            stepping.set()
            time.sleep(0.3)  # the statement is mid-step when the task is canceled
            return value

        dbapi_conn.create_function("slow", 1, slow)

    sessions = create_sessionmaker(engine)
    try:
        async with session_scope(sessions) as session:
            await session.execute(text("CREATE TABLE t (v INTEGER)"))
            await session.execute(text("INSERT INTO t VALUES (1), (2), (3)"))

        async def write_then_read() -> None:
            async with session_scope(sessions) as session:
                await session.execute(text("UPDATE t SET v = v + 10"))  # holds the write lock
                # a statement runs on the loop (where no task is canceled mid-statement) unless
                # a call is queued on the connection's thread: then it waits there, behind it
                raw = (await (await session.connection()).get_raw_connection()).driver_connection
                assert isinstance(raw, QueuedSQLiteConnection)
                queued = asyncio.create_task(raw.thread_call(lambda: time.sleep(0.05)))
                await asyncio.sleep(0)
                assert raw.on_thread == 1
                try:
                    await session.execute(text("SELECT slow(v) FROM t"))  # rows left to fetch
                finally:
                    await queued

        task = asyncio.create_task(write_then_read())
        await asyncio.to_thread(stepping.wait, 5)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await asyncio.sleep(0.5)  # the interrupted connection's close has run on its thread

        def take_the_write_lock() -> str:
            probe = sqlite3.connect(database, timeout=2, isolation_level=None)
            try:
                probe.execute("BEGIN IMMEDIATE")
                values = sorted(row[0] for row in probe.execute("SELECT v FROM t"))
                probe.execute("ROLLBACK")
                return ",".join(map(str, values))
            except sqlite3.OperationalError as exc:
                return str(exc)
            finally:
                probe.close()

        # the canceled transaction rolled back and left no lock: another writer gets in
        assert await asyncio.to_thread(take_the_write_lock) == "1,2,3"
    finally:
        await engine.dispose()
