from __future__ import annotations

from fastapi import APIRouter

from atelier.auth.dependencies import GeneratePrincipal, ReadPrincipal
from atelier.kit.deps import SessionDep
from atelier.projects import service
from atelier.projects.schemas import ProjectCreate, ProjectOut

router = APIRouter(prefix="/v1/projects", tags=["projects"])


@router.post("", response_model=ProjectOut, status_code=201, summary="Create a project")
async def create_project(body: ProjectCreate, principal: GeneratePrincipal, session: SessionDep) -> ProjectOut:
    project = await service.create_project(
        session, principal.organization_id, name=body.name, description=body.description
    )
    return ProjectOut.model_validate(project)


@router.get("", response_model=list[ProjectOut], summary="List the organization's projects")
async def list_projects(principal: ReadPrincipal, session: SessionDep) -> list[ProjectOut]:
    projects = await service.ProjectRepository(session).list_for_org(principal.organization_id)
    return [ProjectOut.model_validate(p) for p in projects]


@router.get("/{project_id}", response_model=ProjectOut, summary="One project")
async def get_project(project_id: str, principal: ReadPrincipal, session: SessionDep) -> ProjectOut:
    return ProjectOut.model_validate(await service.get_project(session, principal.organization_id, project_id))
