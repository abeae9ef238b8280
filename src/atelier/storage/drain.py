"""The drain: a loop in every process that offers the objects held by the storage fallback
to the backend again and, once one is taken, deletes it from the table.

Several processes drain at once safely: a drain first claims an object with a conditional
update (one wins, the others skip it), uploads it, then deletes the row only if its claim
still stands. A drain that dies mid-move leaves its claim to expire; the object is then
moved by another. Nothing is deleted from the table before the backend has it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time

from atelier.kit.errors import StorageError
from atelier.kit.tasks import finish
from atelier.storage.fallback import FallbackStorage

log = logging.getLogger("atelier.storage")
#: Longer than any one upload can take (the S3 client's timeouts and retries included).
CLAIM_SECONDS = 300.0
BATCH = 20


class Drain:
    def __init__(self, storage: FallbackStorage, *, interval: float, claim_seconds: float = CLAIM_SECONDS) -> None:
        self.storage = storage
        self.interval = interval
        self.claim_seconds = claim_seconds
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._stopping = False

    async def run_once(self) -> int:
        """Move what the backend takes, oldest first; returns how many objects moved."""
        held, primary = self.storage.held, self.storage.primary
        moved = 0
        for key in await held.oldest(BATCH):
            token = secrets.token_hex(12)
            started = time.monotonic()
            claimed = await held.claim(key, token, lease_seconds=self.claim_seconds)
            if claimed is None:  # another drain is moving it, or it is gone
                continue
            data, content_type = claimed
            try:
                await primary.put(key, data, content_type)
            except StorageError as exc:
                await held.release(key, token)
                log.info("object storage still refuses uploads (%s); %s stays held", exc.message, key)
                break  # no use offering the others now
            except BaseException:
                with contextlib.suppress(Exception):
                    await held.release(key, token)
                raise
            if await held.finish(key, token):
                moved += 1
                log.info("moved %s from the database to object storage", key)
            elif time.monotonic() - started < self.claim_seconds:
                # Our claim stood, so no other drain moved it: the object was deleted (or
                # replaced, and the new version is held) while we moved it. Undo the upload.
                await primary.delete(key)
        return moved

    async def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="storage-drain")

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        await finish(self._task, 10)

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def _loop(self) -> None:
        while not self._stopping:
            try:
                moved = await self.run_once()
            except Exception:  # the database or backend failing: try again next round
                log.exception("storage drain round failed")
                moved = 0
            if moved >= BATCH or self._stopping:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval)
