"""Reading a file's Content Credentials back: its manifest store, what the active manifest
says (generator, actions, ingredients, signer) and how it validated.

Validation is c2pa's: the signature, the hashes that bind the manifest to the bytes, the
certificate profile. With no trust list configured, a manifest whose signature and hashes
hold is ``Valid`` but its signer is ``untrusted`` (``signingCredential.untrusted``): that is
the case for Atelier's generated local certificate, and it is reported, not hidden."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

import c2pa

from atelier.provenance.manifest import GENERATION_LABEL

#: Failures that say who signed is unknown, not that the file or manifest is wrong.
TRUST_CODES = frozenset({"signingCredential.untrusted"})


@dataclass
class Report:
    present: bool
    #: c2pa's validation state: ``Trusted``, ``Valid`` or ``Invalid`` (None: no manifest).
    state: str | None = None
    #: Problems with the file or manifest (hashes, signature, structure), trust aside.
    errors: list[dict[str, str]] = field(default_factory=list)
    trusted: bool = False
    active: dict[str, Any] | None = None
    store: dict[str, Any] | None = None
    #: Why the file could not be read, when it could not.
    unreadable: str | None = None

    @property
    def valid(self) -> bool:
        return self.present and self.state in {"Valid", "Trusted"} and not self.errors

    def summary(self) -> dict[str, Any]:
        """The active manifest in a few fields: who made it, what it says was done, who signed."""
        manifest = self.active or {}
        assertions = {a.get("label"): a.get("data") for a in manifest.get("assertions", [])}
        actions = (assertions.get("c2pa.actions.v2") or assertions.get("c2pa.actions") or {}).get("actions", [])
        signature = manifest.get("signature_info") or {}
        ingredients = manifest.get("ingredients") or []
        return {
            "claim_generator": manifest.get("claim_generator_info") or [],
            "title": manifest.get("title"),
            "actions": [
                {k: a[k] for k in ("action", "digitalSourceType", "softwareAgent", "parameters") if k in a}
                for a in actions
            ],
            "generation": assertions.get(GENERATION_LABEL),
            "signer": {
                "issuer": signature.get("issuer"),
                "common_name": signature.get("common_name"),
                "serial_number": signature.get("cert_serial_number"),
                "algorithm": signature.get("alg"),
                "time": signature.get("time"),
            },
            "ingredients": [_ingredient(i, self.store or {}) for i in ingredients],
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "present": self.present,
            "validation": {
                "state": self.state,
                "valid": self.valid,
                "trusted": self.trusted,
                "errors": self.errors,
                "unreadable": self.unreadable,
            },
            "summary": self.summary() if self.present else None,
            "manifest_store": self.store,
        }


def _ingredient(item: dict[str, Any], store: dict[str, Any]) -> dict[str, Any]:
    """An ingredient and, when it brought its own manifest (a provider's), that manifest's
    generator, actions and validation as recorded when it was added."""
    label = item.get("active_manifest")
    own = (store.get("manifests") or {}).get(label) if label else None
    out: dict[str, Any] = {
        "title": item.get("title"),
        "format": item.get("format"),
        "relationship": item.get("relationship"),
        "has_manifest": own is not None,
    }
    if own is not None:
        nested = Report(present=True, active=own, store=store)
        summary = nested.summary()
        results = (item.get("validation_results") or {}).get("activeManifest") or {}
        out["manifest"] = {
            "claim_generator": summary["claim_generator"],
            "actions": summary["actions"],
            "signer": summary["signer"],
            "validation_failures": [f.get("code") for f in results.get("failure", [])],
        }
    return out


def _codes(entries: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{"code": str(e.get("code")), "explanation": str(e.get("explanation", ""))} for e in entries]


def verify(data: bytes, mime: str | None = None) -> Report:
    """The Content Credentials of ``data``; ``mime`` is a hint (the bytes decide)."""
    try:
        reader = c2pa.Reader.try_create(mime, io.BytesIO(data))
    except c2pa.C2paError as exc:
        return Report(present=b"c2pa" in data, state="Invalid" if b"c2pa" in data else None, unreadable=str(exc))
    if reader is None:
        return Report(present=False)
    with reader:
        store: dict[str, Any] = json.loads(reader.json())
        state = reader.get_validation_state()
        results = (reader.get_validation_results() or {}).get("activeManifest") or {}
        active = reader.get_active_manifest()
    failures = results.get("failure", []) + store.get("validation_status", [])
    errors = _codes([f for f in failures if f.get("code") not in TRUST_CODES])
    errors = [e for i, e in enumerate(errors) if e not in errors[:i]]
    return Report(present=True, state=state, errors=errors, trusted=state == "Trusted", active=active, store=store)


def describe(report: Report) -> list[str]:
    """The report as lines for a terminal (``atelier verify``)."""
    if not report.present:
        return ["No C2PA manifest (no Content Credentials) in this file."]
    if report.unreadable:
        return [f"C2PA data present but unreadable: {report.unreadable}", "Validation: Invalid"]
    summary = report.summary()
    lines = []
    for gen in summary["claim_generator"]:
        lines.append(f"Claim generator: {gen.get('name')} {gen.get('version', '')}".rstrip())
    for action in summary["actions"]:
        source = action.get("digitalSourceType")
        params = action.get("parameters") or {}
        named = ", ".join(f"{k} {params[k]}" for k in ("engine", "model") if k in params)
        lines.append(
            f"Action: {action['action']}" + (f" ({source})" if source else "") + (f" — {named}" if named else "")
        )
    for item in summary["ingredients"]:
        line = f"Ingredient ({item['relationship']}): {item['title']}"
        if item["has_manifest"]:
            gens = ", ".join(str(g.get("name")) for g in item["manifest"]["claim_generator"])
            line += f" — its own manifest by {gens}"
        lines.append(line)
    signer = summary["signer"]
    lines.append(f"Signed by: {signer['common_name']} (issuer {signer['issuer']}, {signer['algorithm']})")
    verdict = report.state or "Invalid"
    if report.valid and not report.trusted:
        verdict += " — signature and hashes check out; the signer's certificate is not on any trust list (untrusted)"
    lines.append(f"Validation: {verdict}")
    lines.extend(f"  error {e['code']}: {e['explanation']}" for e in report.errors)
    return lines
