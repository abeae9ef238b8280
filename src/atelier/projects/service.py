from __future__ import annotations

from functools import cache

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from atelier.kit.db import param
from atelier.kit.errors import NotFound
from atelier.kit.repository import RepositoryBase
from atelier.projects.models import Project


@cache
def _by_ref() -> Select[Project]:
    ref = param("ref", Project.id)
    return (
        select(Project)
        .where(
            Project.organization_id == param("org", Project.organization_id),
            or_(Project.id == ref, Project.slug == ref),
        )
        .limit(1)
    )


class ProjectRepository(RepositoryBase[Project]):
    model = Project

    async def for_org(self, organization_id: str, ref: str) -> Project | None:
        """By id or by the client-chosen slug."""
        found = await self.session.execute(_by_ref(), {"org": organization_id, "ref": ref})
        return found.scalar_one_or_none()

    async def list_for_org(self, organization_id: str) -> list[Project]:
        stmt = select(Project).where(Project.organization_id == organization_id).order_by(Project.created_at)
        return list(await self.all(stmt))


async def create_project(
    session: AsyncSession,
    organization_id: str,
    *,
    name: str,
    description: str | None = None,
    slug: str | None = None,
) -> Project:
    return await ProjectRepository(session).add(
        Project(organization_id=organization_id, name=name, description=description, slug=slug)
    )


async def get_project(session: AsyncSession, organization_id: str, ref: str) -> Project:
    project = await ProjectRepository(session).for_org(organization_id, ref)
    if project is None:
        raise NotFound(f"Project {ref} not found")
    return project


async def get_or_create_by_slug(session: AsyncSession, organization_id: str, slug: str) -> Project:
    """For clients (NanoDesigner) that name projects by their own id."""
    project = await ProjectRepository(session).for_org(organization_id, slug)
    if project is None:
        project = await create_project(session, organization_id, name=slug, slug=slug)
    return project
