"""An organization's content policy: read it, or (operators) relax or tighten it."""

from __future__ import annotations

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.audit.service import record
from atelier.auth.dependencies import AdminPrincipal, Principal
from atelier.kit.deps import RuntimeDep, SessionDep
from atelier.kit.errors import NotFound
from atelier.kit.runtime import Runtime
from atelier.safety.models import ContentPolicyOverride
from atelier.safety.schemas import PolicyIn, PolicyOut
from atelier.safety.service import ContentPolicyService
from atelier.settings import PolicyCategory

router = APIRouter(prefix="/v1/organization/content-policy", tags=["content policy"])
OrgQuery = Query(None, max_length=40, description="Another organization (operators); default: the caller's")


def _service(runtime: Runtime) -> ContentPolicyService:
    service = runtime.services.content_policy
    assert service is not None, "start_safety registers the content policy"
    return service


async def _organization(session: AsyncSession, principal: Principal, organization_id: str | None) -> str:
    from atelier.accounts.models import Organization

    org_id = organization_id or principal.organization_id
    if await session.get(Organization, org_id) is None:
        raise NotFound(f"Organization {org_id} not found")
    return org_id


async def _out(session: AsyncSession, runtime: Runtime, org_id: str) -> PolicyOut:
    service = _service(runtime)
    override = await session.get(ContentPolicyOverride, org_id)
    policy = service.apply(override)
    terms = {PolicyCategory(k): list(v) for k, v in ((override.blocked_terms if override else None) or {}).items()}
    checks = (["blocklist", "classifier"] if policy.checks_text else []) + (
        ["image_classifier"] if policy.checks_images else []
    )
    if policy.checks_text and service.moderation is not None:
        checks.insert(2, "moderation")
    return PolicyOut(
        organization_id=org_id,
        source=policy.source,
        categories=policy.decisions,
        text_threshold=policy.text_threshold,
        profanity_threshold=policy.profanity_threshold,
        image_threshold=policy.image_threshold,
        blocked_terms=terms,
        moderation_endpoint=service.moderation is not None,
        checks=checks,
    )


@router.get("", response_model=PolicyOut, summary="The organization's content policy")
async def get_policy(
    principal: AdminPrincipal, session: SessionDep, runtime: RuntimeDep, organization_id: str | None = OrgQuery
) -> PolicyOut:
    return await _out(session, runtime, await _organization(session, principal, organization_id))


@router.put("", response_model=PolicyOut, summary="Relax or tighten the organization's content policy")
async def put_policy(
    body: PolicyIn,
    principal: AdminPrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
    organization_id: str | None = OrgQuery,
) -> PolicyOut:
    """Replaces the organization's override (``{}`` returns it to the default)."""
    org_id = await _organization(session, principal, organization_id)
    override = await session.get(ContentPolicyOverride, org_id)
    if override is None:
        override = ContentPolicyOverride(organization_id=org_id)
        session.add(override)
    override.categories = {k.value: v.value for k, v in body.categories.items()}
    override.text_threshold = body.text_threshold
    override.profanity_threshold = body.profanity_threshold
    override.image_threshold = body.image_threshold
    override.blocked_terms = {k.value: [t for t in v if t.strip()][:500] for k, v in body.blocked_terms.items()}
    override.updated_by = principal.user.id
    await session.flush()
    await record(
        session,
        "content_policy.updated",
        organization_id=org_id,
        actor_id=principal.user.id,
        target=org_id,
        policy=body.model_dump(mode="json"),
    )
    return await _out(session, runtime, org_id)
