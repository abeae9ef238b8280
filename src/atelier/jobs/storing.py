"""Turning an engine's images into assets: metadata embedded, objects stored, then assets
and the final state committed together by the lease holder only."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import update
from sqlalchemy.sql.dml import ReturningUpdate

from atelier.assets.memo import remember_bytes
from atelier.design.fidelity import score
from atelier.engines.base import GeneratedImage
from atelier.engines.runner import RunOutcome
from atelier.images.metadata import embed
from atelier.jobs import service
from atelier.jobs.hooks import OutputReview
from atelier.jobs.models import Asset, Job, JobStatus, held
from atelier.jobs.orphans import writing
from atelier.jobs.params import GenerationParams
from atelier.jobs.thumbnails import make_thumbnail, thumbnail_key
from atelier.kit.db import param, session_scope
from atelier.kit.ids import new_id
from atelier.kit.runtime import Runtime
from atelier.provenance.manifest import Facts, facts_of
from atelier.provenance.signer import ProvenanceSigner, stamp
from atelier.storage.fallback import held_note

log = logging.getLogger("atelier.jobs")


class LeaseLost(Exception):
    """Another runner took the job over (this one was presumed dead): its result is void."""


#: What a stored image says about itself: enough to trace it to its job, nothing about the
#: account (no prices, plan, billing state, webhook URLs or brand constraints).
METADATA_FIELDS = ("prompt", "model", "seed")


def _metadata(job: Job, asset_id: str, outcome: RunOutcome) -> dict[str, Any]:
    meta = {k: job.params[k] for k in METADATA_FIELDS if job.params.get(k) is not None}
    size = f"{job.params.get('width')}x{job.params.get('height')}"
    return {**meta, "size": size, "engine": outcome.deployment, "job_id": job.id, "asset_id": asset_id}


def _fidelity(data: bytes, image: GeneratedImage, params: GenerationParams) -> dict[str, Any]:
    constraints = params.constraints
    # Only the design engine records its canvas; other engines' backgrounds are read off the border.
    canvas: dict[str, Any] = (image.spec or {}).get("canvas") or {}
    report = score(
        data,
        width=params.width,
        height=params.height,
        fmt=params.output_format.value,
        palette_hex=constraints.palette_hex if constraints else (),
        safe_zone_pct=constraints.logo_safe_zone_pct if constraints else 0.0,
        background_hex=canvas.get("background"),
        transparent=bool(canvas) and canvas.get("background") is None,
        opened=image.opened,
    )
    result: dict[str, Any] = report.to_dict()
    return result


@dataclass(frozen=True)
class _Prepared:
    """One output image made ready to store: its final bytes, the note of its signing (if
    any), its fidelity report and its thumbnail (None: the gallery shows the image)."""

    data: bytes
    signing_note: str | None
    fidelity: dict[str, Any]
    thumbnail: bytes | None


def _prepare(
    signer: ProvenanceSigner, image: GeneratedImage, meta: dict[str, Any], facts: Facts, params: GenerationParams
) -> _Prepared:
    """On a worker thread, in one trip: Atelier's metadata embedded, then the C2PA manifest
    (the last change to the bytes: it binds them), the fidelity report and the thumbnail, all
    reading the one decode of ``image`` (dropped at the end: nothing reads its pixels after)."""
    try:
        data = embed(image.data, image.format.value, meta)
        data, signing_note = stamp(signer, data, facts, image)
        report = _fidelity(data, image, params)
        return _Prepared(data, signing_note, report, make_thumbnail(data, image.opened))
    finally:
        image.forget_opened()


@cache
def _succeed() -> ReturningUpdate[Job]:
    """The job's final state, if ``token`` still holds it, returned as committed."""
    return (
        update(Job)
        .where(held(param("job", Job.id), param("token", Job.lease_token)))
        .values(
            status=JobStatus.SUCCEEDED.value,
            progress=1.0,
            engine=param("engine_", Job.engine),
            attempts=param("attempts_", Job.attempts),
            cost_usd=param("cost", Job.cost_usd),
            finished_at=param("finished", Job.finished_at),
            lease_until=None,
            notes=param("notes_", Job.notes),
            fidelity=param("fidelity_", Job.fidelity),
            content_checks=param("checks", Job.content_checks),
        )
        .returning(Job)
        .execution_options(synchronize_session=False, populate_existing=True)
    )


async def store_and_succeed(
    runtime: Runtime,
    job: Job,
    token: str,
    params: GenerationParams,
    outcome: RunOutcome,
    review: OutputReview | None = None,
) -> None:
    """``review``: the output check's verdict (each image's flag), when one ran."""
    storage = runtime.storage
    flags = review.flags if review is not None else []
    checks = {**(job.content_checks or {}), **({"images": review.report} if review is not None else {})}
    with writing(runtime) as mark:
        written: list[str] = []
        assets: list[Asset] = []
        fidelity = []
        provenance_notes: list[str] = []
        try:
            for position, image in enumerate(outcome.result.images):
                asset_id = new_id("ast")
                ext = image.format.value
                key = f"{job.project_id}/renders/{asset_id}.{ext}"
                mark(key)  # before it exists: no orphan to this process's reconciler until committed
                facts = facts_of(job.id, asset_id, job.params.get("model"), outcome, image)
                meta = _metadata(job, asset_id, outcome)
                made = await asyncio.to_thread(_prepare, runtime.provenance, image, meta, facts, params)
                data = made.data
                if made.signing_note and made.signing_note not in provenance_notes:
                    provenance_notes.append(made.signing_note)
                await storage.put(key, data, image.format.media_type)
                written.append(key)
                fidelity.append(made.fidelity)
                thumb_key = None
                if made.thumbnail is not None:
                    thumb_key = thumbnail_key(job.project_id, asset_id)
                    mark(thumb_key)  # an orphan, like its image, only if this process never commits
                    await storage.put(thumb_key, made.thumbnail, "image/webp")
                    written.append(thumb_key)
                assets.append(
                    Asset(
                        id=asset_id,
                        job_id=job.id,
                        position=position,
                        organization_id=job.organization_id,
                        project_id=job.project_id,
                        storage_key=key,
                        format=ext,
                        width=image.width,
                        height=image.height,
                        bytes=len(data),
                        spec=image.spec,
                        revised_prompt=image.revised_prompt,
                        synthid=image.synthid,
                        thumbnail_key=thumb_key,
                        content_flag=flags[position] if position < len(flags) else None,
                    )
                )
                remember_bytes(assets[-1], data)
            note = await held_note(storage, written)
            async with session_scope(runtime.sessions) as session:
                final = await session.scalar(
                    _succeed(),
                    {
                        "job": job.id,
                        "token": token,
                        "engine_": outcome.deployment,
                        "attempts_": outcome.attempts,
                        "cost": Decimal(outcome.cost_usd),
                        "finished": datetime.now(UTC),
                        "notes_": [*outcome.result.notes, *provenance_notes, *([note] if note else [])],
                        "fidelity_": fidelity,
                        "checks": checks or None,
                    },
                )
                if final is None:
                    raise LeaseLost(job.id)
                session.add_all(assets)
                await session.flush()
                await service.finish(session, runtime, final, JobStatus.SUCCEEDED, len(assets))
        except BaseException:
            # No half-written results: the job fails or stays resumable, and owns no objects.
            for key in written:
                try:
                    await storage.delete(key)
                except Exception:
                    log.warning("could not remove %s after a failed finish", key)
            raise
    await service.notify_finished(runtime, job.id, (final, assets))
