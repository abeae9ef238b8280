"""Background tasks that end cleanly at shutdown."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any


async def finish(task: asyncio.Task[Any] | None, grace_seconds: float) -> None:
    """Let ``task`` finish its round (it was told to stop) for up to ``grace_seconds``,
    then cancel it: shutdown never hangs on a background loop."""
    if task is None:
        return
    try:
        await asyncio.wait_for(asyncio.shield(task), grace_seconds)
    except TimeoutError:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
