"""An engine that answers a fixed image (the image path needs one that scores as nudity),
and a metered member with credits whose ledger can be read."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from atelier.billing import service as billing
from atelier.billing.models import CreditAccount, CreditEntry
from atelier.engines.base import (
    CancelToken,
    Capabilities,
    GeneratedImage,
    GenerationRequest,
    GenerationResult,
    ProgressCallback,
    Task,
)
from atelier.storage.base import Storage
from tests.helpers.accounts import Account, create_key, register


class FixedImageEngine:
    """Answers ``data`` (a PNG) for every image asked for."""

    def __init__(self, name: str, data: bytes, width: int, height: int) -> None:
        self.name, self.data, self.width, self.height = name, data, width, height
        self.calls = 0

    def capabilities(self) -> Capabilities:
        return Capabilities(tasks=frozenset({Task.GENERATE}), max_n=4)

    def price_per_image(self, request: GenerationRequest) -> object:
        from decimal import Decimal

        return Decimal("0.01")

    async def health(self) -> str:
        return "healthy"

    async def generate(
        self, request: GenerationRequest, progress: ProgressCallback, cancel: CancelToken
    ) -> GenerationResult:
        self.calls += 1
        image = GeneratedImage(self.data, self.width, self.height, request.output_format)
        return GenerationResult(images=[image] * request.n, engine=self.name, model=self.name)


@dataclass
class Team:
    admin: Account
    member: Account
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"X-API-Key": self.key}


async def team(client: httpx.AsyncClient, app: FastAPI, credits: int = 20) -> Team:
    """The instance admin (first account) and a member on the pro plan with ``credits``."""
    admin = await register(client)
    member = await register(client)
    runtime = app.state.runtime
    async with runtime.sessions() as session:
        org, _ = await billing.org_plan(session, member.organization_id, runtime.plans)
        org.plan = "pro"
        account = await billing.lock_account(session, org, billing.get_plan("pro", runtime.plans))
        await billing.set_allowance(session, account, credits, "grant", billing.datetime.now(billing.UTC))
        await session.commit()
    return Team(admin, member, await create_key(client, member))


async def ledger(app: FastAPI, org_id: str) -> tuple[int, int, int]:
    """Balance, sum of entries, number of entries."""
    async with app.state.runtime.sessions() as session:
        balance = (
            await session.execute(select(CreditAccount.balance).where(CreditAccount.organization_id == org_id))
        ).scalar_one()
        total, count = (
            await session.execute(
                select(func.coalesce(func.sum(CreditEntry.amount), 0), func.count()).where(
                    CreditEntry.organization_id == org_id
                )
            )
        ).one()
    return int(balance), int(total), int(count)


async def stored_keys(storage: Storage) -> set[str]:
    return {item.key async for item in storage.list_objects()}
