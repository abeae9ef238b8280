"""The SQL statements an Atelier runtime runs while a block of a test runs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import event

from atelier.kit.runtime import Runtime


@asynccontextmanager
async def recorded(runtime: Runtime) -> AsyncIterator[list[str]]:
    """Every statement the runtime's engine runs inside the block (background loops' too),
    whitespace folded to one space, upper case."""
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(" ".join(statement.split()).upper())

    engine = runtime.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


#: The job sweeper's look for queued or orphaned jobs (``JobQueue.recoverable``): a background
#: loop that runs every ``jobs.poll_seconds``, whatever a test's request does.
SWEEP = "SELECT JOBS.ID FROM JOBS WHERE"


def job_reads(statements: list[str]) -> list[str]:
    """The SELECTs of job rows among ``statements``, the sweeper's excepted."""
    return [s for s in statements if s.startswith("SELECT") and " FROM JOBS " in f"{s} " and not s.startswith(SWEEP)]
