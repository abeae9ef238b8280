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
