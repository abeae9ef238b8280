"""``/v1/webhooks``: an organization's endpoints, their deliveries, and the signing secret of
per-job webhook URLs. Reading needs the ``read`` scope, changing needs ``webhooks``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from atelier.auth.dependencies import PUBLIC, ReadPrincipal, WebhooksPrincipal
from atelier.kit.deps import RuntimeDep, SessionDep
from atelier.kit.pagination import limit_query
from atelier.webhooks import service
from atelier.webhooks.events import EVENT_TYPES
from atelier.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from atelier.webhooks.schemas import (
    AttemptOut,
    DeliveryOut,
    EndpointCreate,
    EndpointCreated,
    EndpointOut,
    EventTypeOut,
    SigningSecret,
)
from atelier.webhooks.targets import check_webhook_url

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])
Limit = Annotated[int, limit_query(200, "How many, newest first")]
StatusFilter = Annotated[DeliveryStatus | None, Query(description="Only deliveries in this state")]


def delivery_out(delivery: WebhookDelivery, attempts: list[WebhookAttempt]) -> DeliveryOut:
    return DeliveryOut(
        id=delivery.id,
        webhook_id=delivery.message_id,
        endpoint_id=delivery.endpoint_id,
        url=delivery.url,
        event_type=delivery.event_type,
        subject_id=delivery.subject_id,
        status=delivery.status,
        attempts=delivery.attempts,
        last_status_code=delivery.last_status_code,
        last_error=delivery.last_error,
        next_attempt_at=delivery.next_attempt_at,
        delivered_at=delivery.delivered_at,
        created_at=delivery.created_at,
        attempt_log=[AttemptOut.model_validate(a) for a in attempts],
    )


@router.post("", response_model=EndpointCreated, status_code=201, summary="Register an endpoint (secret shown once)")
async def create_endpoint(
    body: EndpointCreate, principal: WebhooksPrincipal, session: SessionDep, runtime: RuntimeDep
) -> EndpointCreated:
    await check_webhook_url(runtime, body.url, field="url")
    endpoint, secret = await service.create_endpoint(
        session,
        runtime.secret,
        principal.organization_id,
        url=body.url,
        event_types=body.event_types,
        description=body.description,
    )
    return EndpointCreated(**EndpointOut.model_validate(endpoint).model_dump(), secret=secret)


@router.get("", response_model=list[EndpointOut], summary="List endpoints (never their secrets)")
async def list_endpoints(principal: ReadPrincipal, session: SessionDep) -> list[EndpointOut]:
    return [EndpointOut.model_validate(e) for e in await service.list_endpoints(session, principal.organization_id)]


@router.get(
    "/event-types",
    response_model=list[EventTypeOut],
    summary="The event types that can be subscribed to",
    dependencies=[PUBLIC],
)
async def event_types() -> list[EventTypeOut]:
    return [EventTypeOut(type=name, description=text) for name, text in EVENT_TYPES.items()]


@router.get("/signing-secret", response_model=SigningSecret, summary="Secret signing per-job webhook URLs")
async def signing_secret(principal: WebhooksPrincipal, session: SessionDep, runtime: RuntimeDep) -> SigningSecret:
    return SigningSecret(secret=await service.organization_secret(session, runtime.secret, principal.organization_id))


@router.post("/signing-secret/rotate", response_model=SigningSecret, summary="Replace the per-job signing secret")
async def rotate_signing_secret(
    principal: WebhooksPrincipal, session: SessionDep, runtime: RuntimeDep
) -> SigningSecret:
    secret = await service.rotate_organization_secret(session, runtime.secret, principal.organization_id)
    return SigningSecret(secret=secret)


@router.get("/deliveries", response_model=list[DeliveryOut], summary="Recent deliveries of every destination")
async def all_deliveries(
    principal: ReadPrincipal,
    session: SessionDep,
    limit: Limit = 50,
    status: StatusFilter = None,
    job_id: Annotated[str | None, Query(max_length=40, description="Only this job's events")] = None,
) -> list[DeliveryOut]:
    rows = await service.recent_deliveries(
        session, principal.organization_id, subject_id=job_id, status=status.value if status else None, limit=limit
    )
    return [delivery_out(d, a) for d, a in rows]


@router.get("/{endpoint_id}", response_model=EndpointOut, summary="One endpoint")
async def get_endpoint(endpoint_id: str, principal: ReadPrincipal, session: SessionDep) -> EndpointOut:
    return EndpointOut.model_validate(await service.get_endpoint(session, principal.organization_id, endpoint_id))


@router.post(
    "/{endpoint_id}/secret/rotate", response_model=SigningSecret, summary="Replace an endpoint's signing secret"
)
async def rotate_endpoint_secret(
    endpoint_id: str, principal: WebhooksPrincipal, session: SessionDep, runtime: RuntimeDep
) -> SigningSecret:
    secret = await service.rotate_endpoint_secret(
        session, runtime.secret, principal.organization_id, endpoint_id, actor_id=principal.user.id
    )
    return SigningSecret(secret=secret, applies_to=f"Deliveries to endpoint {endpoint_id}; shown only now.")


@router.delete("/{endpoint_id}", status_code=204, summary="Delete an endpoint and its pending deliveries")
async def delete_endpoint(endpoint_id: str, principal: WebhooksPrincipal, session: SessionDep) -> Response:
    await service.delete_endpoint(session, principal.organization_id, endpoint_id)
    return Response(status_code=204)


@router.get("/{endpoint_id}/deliveries", response_model=list[DeliveryOut], summary="An endpoint's recent deliveries")
async def endpoint_deliveries(
    endpoint_id: str,
    principal: ReadPrincipal,
    session: SessionDep,
    limit: Limit = 50,
    status: StatusFilter = None,
) -> list[DeliveryOut]:
    await service.get_endpoint(session, principal.organization_id, endpoint_id)
    rows = await service.recent_deliveries(
        session,
        principal.organization_id,
        endpoint_id=endpoint_id,
        status=status.value if status else None,
        limit=limit,
    )
    return [delivery_out(d, a) for d, a in rows]


@router.post(
    "/{endpoint_id}/deliveries/{delivery_id}/redeliver",
    response_model=DeliveryOut,
    status_code=202,
    summary="Send a delivery's event again (same webhook-id and body)",
    responses={404: {"description": "No such endpoint or delivery here"}, 409: {"description": "Disabled or pending"}},
)
async def redeliver(
    endpoint_id: str,
    delivery_id: str,
    principal: WebhooksPrincipal,
    session: SessionDep,
) -> DeliveryOut:
    delivery = await service.redeliver(
        session, principal.organization_id, endpoint_id, delivery_id, actor_id=principal.user.id
    )
    return delivery_out(delivery, [])
