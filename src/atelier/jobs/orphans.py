"""The orphan reconciler: a loop in every job runner process that deletes stored objects
nothing references any more.

A runner killed between storing a job's images and committing its assets leaves those
objects behind (the job is resumed and stores new ones). Every ``storage.reconcile_seconds``
the reconciler lists the storage and deletes each object that is older than
``storage.orphan_after_seconds``, has the shape of Atelier's own keys (a bucket shared with
something else keeps that something's objects), and is referenced by none of: an asset that
is not deleted, a job's input (``{project}/inputs/{job}-{n}`` while that job's row exists),
an object held by the storage fallback.

The safe age is what keeps an in-flight job's objects: they are stored before the commit
that makes assets of them, so for a while they look exactly like orphans. It must be longer
than any job takes from its first upload to its commit, in every process sharing the storage
(the default, an hour, is far longer). Within this process the keys being written are also
registered (``writing``), so they are kept whatever the age.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from atelier.jobs.models import Asset, Job
from atelier.kit.runtime import Runtime
from atelier.kit.tasks import finish
from atelier.storage.fallback import FallbackStorage

log = logging.getLogger("atelier.storage")
BATCH = 500


@contextlib.contextmanager
def writing(runtime: Runtime) -> Iterator[Callable[[str], None]]:
    """:meth:`Reconciler.writing` of this process's reconciler; a no-op where none runs."""
    reconciler: Reconciler | None = runtime.services.storage_orphans
    if reconciler is None:
        yield lambda key: None
        return
    with reconciler.writing() as mark:
        yield mark


#: The folders of a project that Atelier writes: nothing else in a shared bucket is touched.
OWN_FOLDERS = frozenset({"renders", "thumbs", "inputs"})


def is_own_key(key: str) -> bool:
    """Whether ``key`` has the shape of Atelier's own objects (``{project}/renders/…``,
    ``{project}/thumbs/…``, ``{project}/inputs/…``)."""
    parts = key.split("/")
    return len(parts) == 3 and parts[1] in OWN_FOLDERS and all(parts)


def input_job_id(key: str) -> str | None:
    """The job whose input ``key`` is (``{project}/inputs/{job}-{n}``), else None."""
    parts = key.split("/")
    if len(parts) != 3 or parts[1] != "inputs" or "-" not in parts[2]:
        return None
    return parts[2].rsplit("-", 1)[0]


class Reconciler:
    def __init__(self, runtime: Runtime, *, interval: float, orphan_after: float) -> None:
        self.runtime = runtime
        self.interval = interval
        self.orphan_after = timedelta(seconds=orphan_after)
        #: Keys this process is storing and has not committed (or cleaned up) yet.
        self.in_flight: set[str] = set()
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._stopping = False

    @contextlib.contextmanager
    def writing(self) -> Iterator[Callable[[str], None]]:
        """A block that stores objects and commits what references them: each key marked
        (before it is written) is no orphan until the block ends."""
        keys: list[str] = []

        def mark(key: str) -> None:
            keys.append(key)
            self.in_flight.add(key)

        try:
            yield mark
        finally:
            self.in_flight.difference_update(keys)

    @property
    def storage(self) -> Any:
        return self.runtime.storage

    async def run_once(self, *, now: datetime | None = None) -> int:
        """Delete the orphans older than the safe age; returns how many were deleted."""
        cutoff = (now or datetime.now(UTC)) - self.orphan_after
        batch: list[str] = []
        deleted = 0
        async for item in self.storage.list_objects():
            if item.modified <= cutoff and is_own_key(item.key) and item.key not in self.in_flight:
                batch.append(item.key)
            if len(batch) >= BATCH:
                deleted += await self._delete_unreferenced(batch)
                batch = []
        if batch:
            deleted += await self._delete_unreferenced(batch)
        return deleted

    async def _referenced(self, keys: list[str]) -> set[str]:
        jobs = {job for job in map(input_job_id, keys) if job}
        async with self.runtime.sessions() as session:
            assets = await session.scalars(
                select(Asset.storage_key).where(Asset.storage_key.in_(keys), Asset.deleted_at.is_(None))
            )
            referenced = set(assets)
            thumbnails = await session.scalars(
                select(Asset.thumbnail_key).where(Asset.thumbnail_key.in_(keys), Asset.deleted_at.is_(None))
            )
            referenced |= {key for key in thumbnails if key}
            if jobs:
                live = set(await session.scalars(select(Job.id).where(Job.id.in_(jobs))))
                referenced |= {key for key in keys if input_job_id(key) in live}
        if isinstance(self.storage, FallbackStorage):
            referenced |= await self.storage.held.held_keys(keys)
        return referenced

    async def _delete_unreferenced(self, keys: list[str]) -> int:
        referenced = await self._referenced(keys)
        deleted = 0
        for key in keys:
            if key in referenced or key in self.in_flight:
                continue
            try:
                await self.storage.delete(key)
            except Exception as exc:  # the next round tries again
                log.warning("could not delete orphaned object %s: %s", key, exc)
                continue
            deleted += 1
        if deleted:
            log.info("deleted %d orphaned stored object(s)", deleted)
        return deleted

    async def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self._loop(), name="storage-orphans")

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        await finish(self._task, 10)
        self._task = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def _loop(self) -> None:
        while not self._stopping:
            try:
                await self.run_once()
            except Exception:  # the database or storage failing: try again next round
                log.exception("orphan reconciler round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval)
