"""The delivery loop. Every process runs one (server, worker, CLI): it claims due
deliveries under a lease, POSTs each through the safe fetcher (public addresses only,
pinned, no redirects, bounded time), and records the outcome. A process that dies while
delivering leaves its lease to expire; the delivery is then retried under the same
``webhook-id``, which is how receivers deduplicate."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from atelier.fetch.safe import FetchFailed, SafeFetcher, UnsafeUrl
from atelier.kit.db import session_scope, utcnow
from atelier.kit.runtime import Runtime
from atelier.kit.tasks import finish
from atelier.webhooks import signing, wakeup
from atelier.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from atelier.webhooks.policy import Schedule, Verdict, judge, retry_after_seconds
from atelier.webhooks.repository import DeliveryRepository, EndpointRepository
from atelier.webhooks.service import organization_generation

log = logging.getLogger("atelier.webhooks")
Clock = Callable[[], datetime]
#: A receiver's reply is only inspected for its status; a huge body is not read past this.
MAX_RESPONSE_BYTES = 1024 * 1024


@dataclass
class Attempt:
    delivery: WebhookDelivery
    secret: str | None  # None: nothing to send (endpoint gone or disabled)


@dataclass
class Result:
    verdict: Verdict
    status_code: int | None = None
    error: str | None = None
    retry_after: float | None = None
    duration_ms: int = 0


def webhook_fetcher(runtime: Runtime) -> SafeFetcher:
    settings = runtime.settings.webhooks
    return SafeFetcher(
        max_bytes=MAX_RESPONSE_BYTES,
        timeout=settings.timeout_seconds,
        max_redirects=0,
        allow=list(settings.allow_private),
    )


class Dispatcher:
    def __init__(self, runtime: Runtime, *, clock: Clock = utcnow, fetcher: SafeFetcher | None = None) -> None:
        settings = runtime.settings.webhooks
        self.runtime = runtime
        self.clock = clock
        self.fetcher = fetcher or webhook_fetcher(runtime)
        self.schedule = Schedule(list(settings.retry_delays_seconds), settings.max_retry_after_seconds)
        self.batch_size = settings.batch_size
        self.poll_seconds = settings.poll_seconds
        self.lease = timedelta(seconds=settings.timeout_seconds + 30)
        self.waker: wakeup.Waker | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    # --- one round -------------------------------------------------------------------

    async def run_once(self) -> int:
        """Claim a batch of due deliveries and attempt each; returns how many."""
        token = secrets.token_hex(12)
        async with session_scope(self.runtime.sessions) as session:
            now = self.clock()
            claimed = await DeliveryRepository(session).claim_due(now, now + self.lease, token, self.batch_size)
            attempts = [Attempt(d, await self._secret_for(session, d)) for d in claimed]
        await asyncio.gather(*(self._attempt(a, token) for a in attempts))
        return len(attempts)

    async def _secret_for(self, session: AsyncSession, delivery: WebhookDelivery) -> str | None:
        if delivery.endpoint_id is None:
            generation = await organization_generation(session, delivery.organization_id)
            return signing.organization_secret(self.runtime.secret, delivery.organization_id, generation)
        endpoint = await session.get(WebhookEndpoint, delivery.endpoint_id)
        if endpoint is None or endpoint.disabled_at is not None:
            return None
        return signing.endpoint_secret(self.runtime.secret, endpoint.id, endpoint.secret_salt)

    async def _attempt(self, attempt: Attempt, token: str) -> None:
        delivery = attempt.delivery
        if attempt.secret is None:
            result = Result(Verdict.FAILED, error="endpoint disabled before delivery")
        else:
            result = await self._send(delivery, attempt.secret)
        try:
            await self._record(delivery, token, result)
        except Exception:  # the lease expires and the delivery is retried; never kill the loop
            log.exception("could not record webhook delivery %s", delivery.id)

    async def _send(self, delivery: WebhookDelivery, secret: str) -> Result:
        body = delivery.payload.encode()
        # Real time, not the scheduling clock: receivers compare it with their own clock to
        # refuse replays, so it must say when the request actually left.
        timestamp = int(time.time())
        headers = signing.headers(secret, delivery.message_id, timestamp, body)
        started = time.perf_counter()
        try:
            response = await self.fetcher.fetch(delivery.url, method="POST", content=body, headers=headers)
        except UnsafeUrl as exc:
            return Result(Verdict.FAILED, error=f"refused: {exc.message}", duration_ms=_ms(started))
        except FetchFailed as exc:
            return Result(Verdict.RETRY, error=exc.message, duration_ms=_ms(started))
        verdict = judge(response.status_code)
        error = None if verdict is Verdict.SUCCEEDED else f"receiver answered HTTP {response.status_code}"
        return Result(
            verdict,
            status_code=response.status_code,
            error=error,
            retry_after=retry_after_seconds(response.headers.get("retry-after"), self.clock()),
            duration_ms=_ms(started),
        )

    async def _record(self, delivery: WebhookDelivery, token: str, result: Result) -> None:
        now = self.clock()
        number = delivery.attempts + 1
        values: dict[str, object] = {
            "attempts": number,
            "last_status_code": result.status_code,
            "last_error": result.error[:500] if result.error else None,
            "last_attempt_at": now,
            "next_attempt_at": None,
        }
        if result.verdict is Verdict.SUCCEEDED:
            values.update(status=DeliveryStatus.SUCCEEDED.value, delivered_at=now)
        elif result.verdict is Verdict.RETRY:
            when = self.schedule.next_attempt(number, now, result.retry_after)
            if when is None:
                values.update(
                    status=DeliveryStatus.FAILED.value,
                    last_error=f"gave up after {number} attempts: {result.error}"[:500],
                )
            else:
                values.update(status=DeliveryStatus.PENDING.value, next_attempt_at=when)
        else:
            values.update(status=DeliveryStatus.FAILED.value)
        async with session_scope(self.runtime.sessions) as session:
            deliveries = DeliveryRepository(session)
            if not await deliveries.settle(delivery.id, token, **values):
                return  # our lease ran out and someone else took the delivery over
            session.add(
                WebhookAttempt(
                    delivery_id=delivery.id,
                    number=number,
                    attempted_at=now,
                    status_code=result.status_code,
                    error=result.error[:500] if result.error else None,
                    duration_ms=result.duration_ms,
                )
            )
            if result.verdict is Verdict.GONE and delivery.endpoint_id is not None:
                reason = f"receiver answered 410 Gone to {delivery.message_id}"
                await EndpointRepository(session).disable(delivery.endpoint_id, reason, now)
                await deliveries.cancel_open_for_endpoint(delivery.endpoint_id, "endpoint disabled: 410 Gone")

    # --- the loop --------------------------------------------------------------------

    async def start(self) -> None:
        self.waker = wakeup.Waker()
        wakeup.register(self.waker)
        self._task = asyncio.create_task(self._loop(), name="webhook-dispatcher")

    async def stop(self) -> None:
        self._stopping = True
        if self.waker is not None:
            self.waker.event.set()
        await finish(self._task, self.runtime.settings.webhooks.timeout_seconds + 1)

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def _loop(self) -> None:
        assert self.waker is not None
        while not self._stopping:
            self.waker.event.clear()  # before claiming, so a wake during the round is kept
            try:
                handled = await self.run_once()
            except Exception:
                log.exception("webhook dispatch round failed")
                handled = 0
            if handled >= self.batch_size or self._stopping:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.waker.event.wait(), await self._idle_seconds())

    async def _idle_seconds(self) -> float:
        """Until the next retry falls due, at most one poll interval."""
        async with self.runtime.sessions() as session:
            due = await DeliveryRepository(session).next_due()
        if due is None:
            return self.poll_seconds
        return min(self.poll_seconds, max(0.0, (due - self.clock()).total_seconds()))


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
