from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult

from atelier.accounts.models import Organization, User
from atelier.keys.models import ApiKey
from atelier.kit.repository import RepositoryBase
from atelier.organizations.models import Invitation, Membership, OrgRole


class MembershipRepository(RepositoryBase[Membership]):
    model = Membership

    async def find(self, organization_id: str, user_id: str) -> Membership | None:
        return await self.one_or_none(
            select(Membership).where(Membership.organization_id == organization_id, Membership.user_id == user_id)
        )

    async def members(self, organization_id: str) -> list[tuple[Membership, User]]:
        query = (
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.organization_id == organization_id)
            .order_by(Membership.created_at, Membership.id)
        )
        return [(first, second) for first, second in (await self.session.execute(query)).all()]

    async def of_user(self, user_id: str) -> list[tuple[Membership, Organization]]:
        query = (
            select(Membership, Organization)
            .join(Organization, Organization.id == Membership.organization_id)
            .where(Membership.user_id == user_id)
            .order_by(Membership.created_at, Membership.id)
        )
        return [(first, second) for first, second in (await self.session.execute(query)).all()]

    async def lock_owners(self, organization_id: str) -> list[str]:
        """The owners' user ids, their rows locked until the transaction ends (PostgreSQL;
        SQLite has one writer at a time), so two demotions cannot both see another owner."""
        query = (
            select(Membership.user_id)
            .where(Membership.organization_id == organization_id, Membership.role == OrgRole.OWNER.value)
            .with_for_update()
        )
        return list((await self.session.execute(query)).scalars())

    async def revoke_keys(self, organization_id: str, user_id: str, now: datetime) -> int:
        """Revoke every live key ``user_id`` holds in the organization; how many."""
        result = await self.session.execute(
            update(ApiKey)
            .where(ApiKey.organization_id == organization_id, ApiKey.user_id == user_id, ApiKey.revoked_at.is_(None))
            .values(revoked_at=now)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount) if isinstance(result, CursorResult) else 0


class InvitationRepository(RepositoryBase[Invitation]):
    model = Invitation

    async def by_token_hash(self, token_hash: str) -> Invitation | None:
        return await self.one_or_none(select(Invitation).where(Invitation.token_hash == token_hash))

    async def claim(self, invitation_id: str, user_id: str, now: datetime) -> bool:
        """Mark the invitation accepted unless it already was: true for exactly one caller."""
        result = await self.session.execute(
            update(Invitation)
            .where(Invitation.id == invitation_id, Invitation.accepted_at.is_(None))
            .values(accepted_at=now, accepted_by=user_id)
            .execution_options(synchronize_session=False)
        )
        return isinstance(result, CursorResult) and result.rowcount == 1
