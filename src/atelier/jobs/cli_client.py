"""What ``atelier generate`` does: run a generation on the embedded default (in this
process, no server needed) or on a server with an API key, report progress, and write the
images to a folder."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from atelier.kit.errors import AtelierError, NotFound, ValidationFailed
from atelier.settings import Settings

#: (fraction done, status) as the job advances.
OnProgress = Callable[[float, str], None]
FINAL = {"succeeded", "failed", "canceled"}


@dataclass
class CliRequest:
    prompt: str
    n: int = 1
    size: str = "1024x1024"
    model: str = "atelier-design"
    format: str = "png"
    seed: int | None = None
    project: str | None = None

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "prompt": self.prompt,
            "n": self.n,
            "size": self.size,
            "model": self.model,
            "format": self.format,
        }
        if self.seed is not None:
            out["seed"] = self.seed
        if self.project:
            out["project"] = self.project
        return out


def _write(out_dir: Path, job_id: str, position: int, fmt: str, data: bytes) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{job_id}_{position + 1}.{'jpg' if fmt == 'jpeg' else fmt}"
    path.write_bytes(data)
    return path


async def generate_embedded(
    settings: Settings, request: CliRequest, out_dir: Path, on_progress: OnProgress, *, user_email: str | None = None
) -> list[Path]:
    from sqlalchemy import func, select

    from atelier.accounts.models import Role, User
    from atelier.app import start_runtime
    from atelier.jobs import service
    from atelier.jobs.models import Job
    from atelier.jobs.params import GenerationParams, parse_format, parse_size

    width, height = parse_size(request.size)
    params = GenerationParams(
        prompt=request.prompt,
        model=request.model,
        n=request.n,
        width=width,
        height=height,
        output_format=parse_format(request.format, field_name="format"),
        seed=request.seed,
        project=request.project,
    )
    runtime = await start_runtime(settings)
    try:
        async with runtime.sessions() as session:
            stmt = select(User).where(User.is_active.is_(True))
            if user_email:
                stmt = stmt.where(func.lower(User.email) == user_email.lower())
            else:
                stmt = stmt.where(User.role == Role.ADMIN.value)
            user = (await session.execute(stmt.order_by(User.created_at).limit(1))).scalar_one_or_none()
        if user is None:
            raise NotFound(
                f"no active user {user_email}"
                if user_email
                else "no user yet: create one with `atelier users create --email …` (or pass --user)"
            )
        actor = service.Actor(user.organization_id, user.id)
        job: Job = await service.run_generation(runtime, actor, params, wait_seconds=0)
        while job.status not in FINAL:
            on_progress(job.progress, job.status)
            job = await service.wait_for_job(runtime, job.id, 0.25)
        on_progress(job.progress, job.status)
        if job.status != "succeeded":
            raise AtelierError(f"generation {job.status}: {job.error_message or job.error_code}", code="JOB_FAILED")
        storage = runtime.storage
        async with runtime.sessions() as session:
            assets = await service.job_assets(session, job.id)
        return [_write(out_dir, job.id, a.position, a.format, await storage.get(a.storage_key)) for a in assets]
    finally:
        await runtime.close()


def _problem(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}: {response.text[:200]}"
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and error.get("message"):
        return f"HTTP {response.status_code}: {error['message']}"
    return f"HTTP {response.status_code}: {json.dumps(body)[:300]}"


async def _follow(client: httpx.AsyncClient, job: dict[str, Any], on_progress: OnProgress) -> dict[str, Any]:
    """Progress from the job's event stream until it ends; returns the final job."""
    async with client.stream("GET", f"/v1/generations/{job['id']}/events", timeout=None) as stream:
        if stream.status_code != 200:
            await stream.aread()
            raise ValidationFailed(_problem(stream))
        async for line in stream.aiter_lines():
            if not line.startswith("data: "):
                continue
            data = json.loads(line[6:])
            on_progress(float(data.get("progress", 0.0)), str(data.get("status", "")))
            if data.get("status") in FINAL and "assets" in data:
                return dict(data)
    response = await client.get(f"/v1/generations/{job['id']}")
    return dict(response.json())


async def generate_remote(
    server: str,
    key: str,
    request: CliRequest,
    out_dir: Path,
    on_progress: OnProgress,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[Path]:
    headers = {"X-API-Key": key}
    async with httpx.AsyncClient(base_url=server, headers=headers, timeout=60, transport=transport) as client:
        created = await client.post("/v1/generations", json=request.body())
        if created.status_code >= 400:
            raise ValidationFailed(_problem(created))
        job = created.json()
        on_progress(float(job["progress"]), job["status"])
        if job["status"] not in FINAL:
            job = await _follow(client, job, on_progress)
        if job["status"] != "succeeded":
            error = job.get("error") or {}
            raise AtelierError(f"generation {job['status']}: {error.get('message')}", code="JOB_FAILED")
        paths = []
        for position, asset in enumerate(job["assets"]):
            image = await client.get(asset["url"])
            if image.status_code != 200:
                raise AtelierError(f"could not download {asset['id']}: {_problem(image)}", code="DOWNLOAD_FAILED")
            paths.append(_write(out_dir, job["id"], position, asset["format"], image.content))
        return paths
