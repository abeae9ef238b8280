"""Signing: an image's bytes in, the same image with its C2PA manifest embedded out.

Signing binds the exact bytes, so it runs last, after the job metadata is embedded and just
before the object is stored. It is CPU work in the native c2pa library (a few milliseconds
per image, see ``bench/``): callers run it in a thread. Each thread builds its own native
signer and context from the PEM material once, and each call its own builder, so threads share
nothing native (a fresh signer per call cost ~0.4 ms more a signature)."""

from __future__ import annotations

import io
import struct
import threading
import zlib
from typing import Any

import c2pa

from atelier.engines.base import GeneratedImage
from atelier.kit.errors import AtelierError
from atelier.kit.runtime import Runtime
from atelier.provenance import manifest
from atelier.provenance.keys import SigningMaterial, load_material

#: Formats the engines produce; c2pa embeds a manifest in each (PNG caBX chunk, JPEG APP11
#: segments, WebP C2PA chunk).
SIGNED_FORMATS = ("png", "jpeg", "webp")
#: No thumbnail: the asset is the picture, and a thumbnail would double signing time and add
#: kilobytes to every file.
_BUILDER_SETTINGS: dict[str, Any] = {"builder": {"thumbnail": {"enabled": False}}}


class SigningFailed(AtelierError):
    """The image could not be given its manifest: it is not stored unsigned."""

    status_code = 500
    code = "PROVENANCE_SIGNING_FAILED"


def read_store(data: bytes, fmt: str) -> bool | str:
    """Whether ``data`` carries a C2PA manifest store: ``True``, ``False``, or why a store
    that is there cannot be read."""
    if b"c2pa" not in data:  # every embedded store names its JUMBF box "c2pa": a cheap filter
        return False
    try:
        reader = c2pa.Reader.try_create(f"image/{fmt}", io.BytesIO(data))
    except c2pa.C2paError as exc:
        return str(exc) or type(exc).__name__
    if reader is None:
        return False
    reader.close()
    return True


class ProvenanceSigner:
    def __init__(self, material: SigningMaterial) -> None:
        self.material = material
        cert = material.certificate
        #: How a manifest names this signer (``signature_info.cert_serial_number``).
        self.serial = str(cert.serial_number)
        self.subject = cert.subject.rfc4514_string()
        self._local = threading.local()

    def _signer(self) -> c2pa.Signer:
        info = c2pa.C2paSignerInfo(
            self.material.algorithm, self.material.chain_pem, self.material.key_pem, self.material.timestamp_url
        )
        return c2pa.Signer.from_info(info)

    def _native(self) -> tuple[c2pa.Signer, c2pa.Context]:
        """This thread's signer and builder context, made on its first signature."""
        native: tuple[c2pa.Signer, c2pa.Context] | None = getattr(self._local, "native", None)
        if native is None:
            native = self._local.native = (self._signer(), c2pa.Context.from_dict(_BUILDER_SETTINGS))
        return native

    def sign(self, data: bytes, facts: manifest.Facts, upstream: tuple[bytes, str] | None = None) -> bytes:
        """``data`` (a ``facts.fmt`` image) with a signed manifest. ``upstream`` is the
        provider's file as received and its format, when it carries its own C2PA manifest:
        that manifest is kept as the parent ingredient."""
        if facts.fmt not in SIGNED_FORMATS:
            raise SigningFailed(f"C2PA signing supports {', '.join(SIGNED_FORMATS)}, not {facts.fmt!r}")
        mime = f"image/{facts.fmt}"
        try:
            signer, context = self._native()
            if upstream is None:
                definition = manifest.created(facts)
            else:
                definition = manifest.derived(facts, converted=upstream[1] != facts.fmt)
            with c2pa.Builder(definition, context) as builder:
                if upstream is not None:
                    ingredient = manifest.upstream_ingredient(f"{facts.engine} output.{upstream[1]}")
                    builder.add_ingredient(ingredient, f"image/{upstream[1]}", io.BytesIO(upstream[0]))
                out = io.BytesIO()
                builder.sign(signer, mime, io.BytesIO(data), out)
                return out.getvalue()
        except c2pa.C2paError as exc:
            raise SigningFailed(f"Could not sign the {facts.fmt} image's C2PA manifest: {exc}") from exc


def check_material(signer: ProvenanceSigner) -> None:
    """Signs a 1-pixel image: a key that does not match its certificate or algorithm, or a
    certificate c2pa refuses, stops the start-up instead of failing every job."""
    facts = manifest.Facts("startup-check", "startup-check", "png", "atelier", "atelier", "none")
    try:
        signer.sign(_one_pixel_png(), facts)
    except SigningFailed as exc:
        raise RuntimeError(f"Provenance signing key unusable (ATELIER_PROVENANCE__*): {exc.message}") from exc


def _format_of(data: bytes) -> str:
    """From the magic bytes (no image library import in a worker thread)."""
    if data[:2] == b"\xff\xd8":
        return "jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return "png"


def _one_pixel_png() -> bytes:
    """A valid 1x1 PNG built from bytes: check_material runs in a thread at start-up, where
    Pillow's lazy plugin imports could wait on the import lock another thread holds."""

    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00\x00\x00"))
        + chunk(b"IEND", b"")
    )


def stamp(
    signer: ProvenanceSigner, data: bytes, facts: manifest.Facts, image: GeneratedImage
) -> tuple[bytes, str | None]:
    """``data`` (``image`` with Atelier's metadata) signed, and a job note when the
    provider's own C2PA data could not be kept. A manifest the provider signed into the file
    it sent (``image.source`` when Atelier re-encoded it) becomes the parent ingredient."""
    received = image.source if image.source is not None else image.data
    received_fmt = _format_of(received) if image.source is not None else facts.fmt
    found = read_store(received, received_fmt)
    if found is True:
        return signer.sign(data, facts, upstream=(received, received_fmt)), None
    signed = signer.sign(data, facts)
    if found is False:
        return signed, None
    return signed, (
        f"{facts.engine} sent C2PA data that cannot be read ({found}); it is not kept, and the image's "
        "manifest records only what Atelier knows of how it was made"
    )


async def start_provenance(runtime: Runtime) -> None:
    import asyncio

    material = await asyncio.to_thread(load_material, runtime.settings)
    signer = ProvenanceSigner(material)
    await asyncio.to_thread(check_material, signer)
    runtime.services.provenance = signer
