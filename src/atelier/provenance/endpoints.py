"""``GET /v1/assets/{id}/provenance``: the stored file's C2PA manifest and its validation."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from atelier.assets import service
from atelier.auth.dependencies import ReadPrincipal
from atelier.kit.deps import RuntimeDep, SessionDep
from atelier.provenance.verify import verify

router = APIRouter(prefix="/v1/assets", tags=["gallery"])


class Validation(BaseModel):
    state: str | None = Field(description="c2pa's verdict: Trusted, Valid or Invalid; null without a manifest.")
    valid: bool = Field(description="Signature and hashes hold and nothing else failed (trust aside).")
    trusted: bool = Field(description="The signer chains to a configured trust anchor.")
    errors: list[dict[str, str]] = Field(description="Failures other than an untrusted signer.")
    unreadable: str | None = None


class ProvenanceOut(BaseModel):
    asset_id: str
    format: str
    present: bool = Field(description="Whether the stored file carries a C2PA manifest.")
    validation: Validation
    summary: dict[str, Any] | None = Field(
        description="The active manifest: claim generator, actions, signer, ingredients (a provider's "
        "own manifest among them, with its validation)."
    )
    manifest_store: dict[str, Any] | None = Field(description="The whole manifest store, as c2pa reads it.")
    signed_by_this_server: bool = Field(description="Signed with this installation's signing certificate.")
    signer_generated_locally: bool = Field(
        description="This installation signs with a certificate it generated (no trust list knows it)."
    )
    synthid: bool = Field(description="The provider reported a SynthID watermark (never assumed).")


@router.get(
    "/{asset_id}/provenance",
    response_model=ProvenanceOut,
    summary="An asset's Content Credentials (C2PA manifest) and their validation",
)
async def get_provenance(
    asset_id: str, principal: ReadPrincipal, session: SessionDep, runtime: RuntimeDep
) -> ProvenanceOut:
    asset = await service.get_asset(session, principal.organization_id, asset_id)
    data = await runtime.storage.get(asset.storage_key)
    report = await asyncio.to_thread(verify, data, f"image/{asset.format}")
    body = report.to_dict()
    signer = runtime.provenance
    serial = (body["summary"] or {}).get("signer", {}).get("serial_number")
    return ProvenanceOut(
        asset_id=asset.id,
        format=asset.format,
        present=report.present,
        validation=Validation(**body["validation"]),
        summary=body["summary"],
        manifest_store=body["manifest_store"],
        signed_by_this_server=serial is not None and serial == signer.serial,
        signer_generated_locally=signer.material.generated,
        synthid=asset.synthid,
    )
