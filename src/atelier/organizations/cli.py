"""``atelier orgs …``: operators' view of organizations and their members, on the
configured database. Every change is audited as the CLI's (no actor), like the API's."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import typer
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.accounts.models import Organization, User
from atelier.organizations.models import Membership, OrgRole

orgs_app = typer.Typer(help="Organizations and their members.", no_args_is_help=True)

ORG = typer.Option(..., "--org", help="The organization's id (atelier orgs list shows them).")
EMAIL = typer.Option(..., help="The user's email.")


def _run(action: Callable[[AsyncSession], Awaitable[str]]) -> None:
    """Settings, database check, then ``action`` in one committed session; a refusal is one
    clear line on stderr and exit code 1."""
    from atelier.cli import check_database, console, fail, load_settings
    from atelier.kit.db import session_scope
    from atelier.kit.errors import AtelierError
    from atelier.kit.runtime import Runtime

    settings = load_settings()
    check_database(settings)

    async def go() -> str:
        runtime = Runtime.build(settings)
        try:
            async with session_scope(runtime.sessions) as session:
                return await action(session)
        finally:
            await runtime.close()

    try:
        console.print(asyncio.run(go()), soft_wrap=True, highlight=False)
    except AtelierError as exc:
        fail(exc.message)


async def _org(session: AsyncSession, org_id: str) -> Organization:
    from atelier.kit.errors import NotFound

    org = await session.get(Organization, org_id)
    if org is None:
        raise NotFound(f"no organization {org_id}")
    return org


async def _user(session: AsyncSession, email: str) -> User:
    from atelier.accounts.repository import UserRepository
    from atelier.kit.errors import NotFound

    user = await UserRepository(session).by_email(email)
    if user is None:
        raise NotFound(f"no user with email {email}")
    return user


@orgs_app.command("list")
def orgs_list(email: str | None = typer.Option(None, help="Only the organizations this user is in.")) -> None:
    """Every organization: id, plan, member count and name."""

    async def action(session: AsyncSession) -> str:
        count = func.count(Membership.id)
        query = (
            select(Organization, count)
            .outerjoin(Membership, Membership.organization_id == Organization.id)
            .group_by(Organization.id)
            .order_by(Organization.created_at, Organization.id)
        )
        if email is not None:
            user = await _user(session, email)
            mine = select(Membership.organization_id).where(Membership.user_id == user.id)
            query = query.where(Organization.id.in_(mine))
        rows = (await session.execute(query)).all()
        lines = [f"{org.id}  plan={org.plan}  members={n}  {org.name}" for org, n in rows]
        return "\n".join(lines) or "no organizations"

    _run(action)


@orgs_app.command("members")
def orgs_members(org: str = ORG) -> None:
    """The organization's members: user id, role, email."""
    from atelier.organizations.repository import MembershipRepository

    async def action(session: AsyncSession) -> str:
        await _org(session, org)
        rows = await MembershipRepository(session).members(org)
        return "\n".join(f"{u.id}  {m.role:<6}  {u.email}" for m, u in rows) or "no members"

    _run(action)


@orgs_app.command("add-member")
def orgs_add_member(org: str = ORG, email: str = EMAIL, role: OrgRole = typer.Option(OrgRole.MEMBER)) -> None:
    """Add an existing user to the organization with a role (no invitation)."""
    from atelier.organizations import service

    async def action(session: AsyncSession) -> str:
        await _org(session, org)
        user = await _user(session, email)
        await service.add_member(session, org, user, role, actor=service.CLI)
        return f"{user.email} added to {org} as {role.value}"

    _run(action)


@orgs_app.command("set-role")
def orgs_set_role(org: str = ORG, email: str = EMAIL, role: OrgRole = typer.Option(...)) -> None:
    """Change a member's role (the last owner cannot be demoted)."""
    from atelier.organizations import service

    async def action(session: AsyncSession) -> str:
        user = await _user(session, email)
        membership = await service.set_role(session, org, user.id, role, actor=service.CLI)
        return f"{user.email} in {org}: {membership.role}"

    _run(action)


@orgs_app.command("remove-member")
def orgs_remove_member(org: str = ORG, email: str = EMAIL) -> None:
    """Remove a member and revoke their keys in the organization (not its last owner)."""
    from atelier.organizations import service

    async def action(session: AsyncSession) -> str:
        user = await _user(session, email)
        revoked = await service.remove_member(session, org, user.id, actor=service.CLI)
        return f"{user.email} removed from {org}; {revoked} key(s) revoked"

    _run(action)
