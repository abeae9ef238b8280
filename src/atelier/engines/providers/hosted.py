"""What every hosted adapter shares: how it is built (:class:`EngineSpec`), its HTTP client,
prices, credentials check and cancellation of an in-flight request."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

import httpx

from atelier.engines.base import CancelToken, Capabilities, GenerationRequest
from atelier.engines.pricing import PriceTable, TokenRates, default_price_table, token_rates
from atelier.engines.providers.wire import ProviderClient
from atelier.kit.errors import JobCanceled, ProviderAuthError

T = TypeVar("T")


@dataclass
class EngineSpec:
    """One deployment: which provider account, which upstream model, and how to reach it."""

    #: Deployment name, unique in the router (e.g. ``"openai/gpt-image-1"``).
    name: str
    #: Model id at the provider (``"gpt-image-1"``, ``"fal-ai/flux/dev"``, a local folder…).
    model: str
    #: Provider label used in messages and attempts (``"openai"``, ``"a4f"``…).
    provider: str
    api_key: str | None = None
    #: False for keyless OpenAI-compatible servers (LocalAI on a private network).
    requires_key: bool = True
    base_url: str | None = None
    timeout: float = 120.0
    transport: httpx.AsyncBaseTransport | None = None
    prices: PriceTable | None = None
    token_rates: TokenRates | None = None
    #: Private hosts/networks output files may be downloaded from off the API's host.
    fetch_allow: list[str] = field(default_factory=list)
    #: Overrides the adapter's own idea of what the model can do.
    capabilities: Capabilities | None = None
    #: Adapter-specific settings (poll interval, response_format, device…).
    options: dict[str, Any] = field(default_factory=dict)


class HostedEngine:
    """Base of the HTTP adapters. Subclasses set ``default_base_url`` and implement
    ``generate`` and ``model_capabilities``."""

    default_base_url = ""

    def __init__(self, spec: EngineSpec) -> None:
        self.spec = spec
        self.name = spec.name
        self.model = spec.model
        self.provider = spec.provider
        self.prices = spec.prices or default_price_table(spec.model)
        self.rates = spec.token_rates or token_rates(spec.model)
        self.http = ProviderClient(
            provider=spec.provider,
            base_url=spec.base_url or self.default_base_url,
            headers=self.auth_headers(spec.api_key) if spec.api_key else {},
            timeout=spec.timeout,
            secret=spec.api_key,
            transport=spec.transport,
            policy=self.is_policy_refusal,
            auth_failure=self.is_auth_failure,
            output_allow=spec.fetch_allow,
        )

    def auth_headers(self, api_key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {api_key}"}

    def is_policy_refusal(self, status: int, body: Any) -> bool:
        return False

    def is_auth_failure(self, status: int, body: Any) -> bool:
        return False

    def model_capabilities(self) -> Capabilities:
        raise NotImplementedError

    def capabilities(self) -> Capabilities:
        return self.spec.capabilities or self.model_capabilities()

    def price_per_image(self, request: GenerationRequest) -> Decimal:
        return self.prices.price(request.width, request.height, request.quality)

    async def health(self) -> str:
        return "healthy" if self.spec.api_key or not self.spec.requires_key else "unhealthy"

    async def aclose(self) -> None:
        await self.http.aclose()

    def require_key(self) -> None:
        if not self.spec.api_key and self.spec.requires_key:
            raise ProviderAuthError(
                f"No API key is configured for {self.provider}", details={"provider": self.provider}
            )


async def unless_cancelled(work: Awaitable[T], cancel: CancelToken) -> T:
    """Await ``work``, abandoning it (and raising JobCanceled) as soon as the job is canceled."""
    cancel.raise_if_cancelled()
    task = asyncio.ensure_future(work)
    waiter = asyncio.ensure_future(cancel.wait())
    try:
        await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    except BaseException:
        task.cancel()  # the router's deadline or a shutdown: don't leave the request running
        raise
    finally:
        waiter.cancel()
    if not task.done():
        task.cancel()
        raise JobCanceled()
    return task.result()
