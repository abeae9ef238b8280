"""Request-scoped dependencies: the runtime and one database session per request,
committed once after the endpoint returns; work queued with :func:`after_commit` runs
only once that commit succeeded."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.kit.runtime import Runtime

log = logging.getLogger("atelier.db")
AfterCommit = Callable[[], Awaitable[None]]


async def get_runtime(request: Request) -> Runtime:
    """``async``: FastAPI calls a plain ``def`` dependency on a worker thread (anyio's
    ``run_in_threadpool``): a thread hop per request for an attribute read."""
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def after_commit(session: AsyncSession, callback: AfterCommit) -> None:
    """Run ``callback`` once the session's transaction has committed (e.g. enqueue a job)."""
    session.info.setdefault("after_commit", []).append(callback)


async def run_after_commit(session: AsyncSession) -> None:
    callbacks: list[AfterCommit] = session.info.pop("after_commit", [])
    for callback in callbacks:
        await callback()


async def get_session(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    async with runtime.sessions() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            session.info.pop("after_commit", None)
            raise
    await run_after_commit(session)


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
