"""Deleting an organization, in one transaction: every key revoked, every membership and
pending invitation gone, its queued and running jobs canceled (through the jobs layer, so
reservations are refunded and webhooks told), its gallery emptied (files removed once the
transaction commits) and the row marked deleted. Its ledger, usage and audit rows stay. A
member left with no organization gets a personal one, as at registration, so nobody is
locked out of their account."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.accounts.models import Organization, User
from atelier.accounts.service import personal_organization_name
from atelier.assets.service import remove_files_after_commit
from atelier.audit import service as audit
from atelier.jobs import service as jobs
from atelier.jobs.models import Asset, Job, JobStatus
from atelier.keys.models import ApiKey
from atelier.kit.db import rowcount
from atelier.kit.errors import ValidationFailed
from atelier.kit.runtime import Runtime
from atelier.organizations.models import Invitation, Membership, OrgRole
from atelier.organizations.service import Actor


async def delete_organization(
    session: AsyncSession, runtime: Runtime, organization: Organization, *, confirm: str, actor: Actor
) -> dict[str, int]:
    """What went with it: keys revoked, members removed, jobs canceled, assets deleted."""
    if confirm != organization.id:
        raise ValidationFailed(
            f"To delete organization {organization.name!r}, pass confirm={organization.id} (its id)",
            details={"field": "confirm"},
        )
    now = datetime.now(UTC)
    keys = await session.execute(
        update(ApiKey)
        .where(ApiKey.organization_id == organization.id, ApiKey.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    active = (
        await session.scalars(
            select(Job.id).where(
                Job.organization_id == organization.id,
                Job.status.in_([JobStatus.QUEUED.value, JobStatus.PROCESSING.value]),
            )
        )
    ).all()
    for job_id in active:
        await jobs.cancel_job(session, runtime, organization.id, job_id)
    files = await _empty_gallery(session, runtime, organization.id, now)
    members = list(await session.scalars(select(Membership).where(Membership.organization_id == organization.id)))
    await session.execute(
        delete(Invitation).where(Invitation.organization_id == organization.id, Invitation.accepted_at.is_(None))
    )
    await session.execute(delete(Membership).where(Membership.organization_id == organization.id))
    organization.deleted_at = now
    await session.flush()
    for membership in members:
        await _rehome(session, runtime, membership.user_id, organization.id)
    gone = {
        "keys_revoked": rowcount(keys),
        "members_removed": len(members),
        "jobs_canceled": len(active),
        "assets_deleted": files,
    }
    await audit.record(
        session,
        "organization.deleted",
        organization_id=organization.id,
        actor_id=actor.user_id,
        target=organization.id,
        ip=actor.ip,
        via=actor.via,
        **gone,
    )
    return gone


async def _empty_gallery(session: AsyncSession, runtime: Runtime, organization_id: str, now: datetime) -> int:
    live = (Asset.organization_id == organization_id) & Asset.deleted_at.is_(None)
    rows = (await session.execute(select(Asset.storage_key, Asset.thumbnail_key).where(live))).all()
    await session.execute(
        update(Asset)
        .where(live)
        .values(deleted_at=now, public=False, favorite=False)
        .execution_options(synchronize_session=False)
    )
    remove_files_after_commit(session, runtime, [key for row in rows for key in row if key])
    return len(rows)


async def _rehome(session: AsyncSession, runtime: Runtime, user_id: str, deleted_id: str) -> None:
    """The user's home organization moves to their first remaining one, or to a new one."""
    user = await session.get(User, user_id)
    if user is None:
        return
    first = await session.scalar(
        select(Membership.organization_id)
        .where(Membership.user_id == user_id)
        .order_by(Membership.created_at, Membership.id)
        .limit(1)
    )
    if first is None:
        own = Organization(
            name=personal_organization_name(user.email, user.full_name), plan=runtime.settings.default_plan
        )
        session.add(own)
        await session.flush()
        session.add(Membership(organization_id=own.id, user_id=user.id, role=OrgRole.OWNER.value))
        first = own.id
        await audit.record(session, "organization.created", organization_id=own.id, actor_id=user.id, reason=deleted_id)
    if user.organization_id == deleted_id:
        user.organization_id = first
    await session.flush()
