"""The signing key: generated once into the data folder (a local CA and a signing
certificate with C2PA's profile, reused on every later start), or the operator's own from
settings; a key c2pa cannot sign with stops the start-up with a clear message."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from PIL import Image
from pydantic import ValidationError

from atelier.provenance.keys import SigningMaterial, generate_chain, load_material
from atelier.provenance.manifest import Facts
from atelier.provenance.signer import ProvenanceSigner, SigningFailed, check_material
from atelier.settings import ProvenanceSettings, Settings
from tests.provenance.c2pa_reading import read_c2pa


def _settings(tmp_path: Path, **provenance: object) -> Settings:
    return Settings(data_dir=tmp_path / "data", provenance=provenance)  # type: ignore[arg-type]


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (200, 40, 40)).save(out, "PNG")
    return out.getvalue()


FACTS = Facts("ast_1", "job_1", "png", "atelier-design", "atelier-design", "atelier-design")


def test_the_generated_pair_is_made_once_and_kept(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    first = load_material(settings)
    second = load_material(settings)
    assert first.generated and first == second
    folder = tmp_path / "data" / "provenance"
    assert sorted(p.name for p in folder.iterdir()) == ["local-ca.pem", "signer-chain.pem", "signer-key.pem"]
    assert (folder / "signer-key.pem").stat().st_mode & 0o077 == 0
    leaf, ca = x509.load_pem_x509_certificates(first.chain_pem)
    assert leaf.issuer == ca.subject and leaf.issuer != leaf.subject  # not self-signed: c2pa refuses those
    assert leaf.extensions.get_extension_for_class(x509.KeyUsage).critical
    assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    ekus = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.EMAIL_PROTECTION in ekus


def test_a_configured_key_and_chain_sign(tmp_path: Path) -> None:
    chain, key, _ = generate_chain()
    (tmp_path / "chain.pem").write_bytes(chain)
    (tmp_path / "key.pem").write_bytes(key)
    settings = _settings(tmp_path, certificate_file=tmp_path / "chain.pem", private_key_file=tmp_path / "key.pem")
    material = load_material(settings)
    assert not material.generated and not (tmp_path / "data" / "provenance").exists()
    signer = ProvenanceSigner(material)
    read = read_c2pa(signer.sign(_png(), FACTS), "png")
    assert read.state == "Valid" and read.active["signature_info"]["cert_serial_number"] == signer.serial


def _self_signed() -> tuple[bytes, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "self")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    return cert.public_bytes(pem), key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def test_a_key_c2pa_cannot_sign_with_stops_the_start_up(tmp_path: Path) -> None:
    cert, key = _self_signed()
    (tmp_path / "cert.pem").write_bytes(cert)
    (tmp_path / "key.pem").write_bytes(key)
    settings = _settings(tmp_path, certificate_file=tmp_path / "cert.pem", private_key_file=tmp_path / "key.pem")
    signer = ProvenanceSigner(load_material(settings))
    with pytest.raises(SigningFailed):
        signer.sign(_png(), FACTS)
    with pytest.raises(RuntimeError, match="Provenance signing key unusable"):
        check_material(signer)


def test_a_key_that_does_not_match_its_certificate_stops_the_start_up(tmp_path: Path) -> None:
    chain, _, _ = generate_chain()
    _, other_key, _ = generate_chain()
    (tmp_path / "chain.pem").write_bytes(chain)
    (tmp_path / "key.pem").write_bytes(other_key)
    settings = _settings(tmp_path, certificate_file=tmp_path / "chain.pem", private_key_file=tmp_path / "key.pem")
    with pytest.raises(RuntimeError, match="Provenance signing key unusable"):
        check_material(ProvenanceSigner(load_material(settings)))


def test_certificate_and_key_are_configured_together(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="set together"):
        ProvenanceSettings(certificate_file=tmp_path / "chain.pem")


@pytest.mark.parametrize("fmt", ["gif", "tiff"])
def test_a_format_outside_the_engines_outputs_is_refused_by_name(fmt: str) -> None:
    chain, key, _ = generate_chain()
    signer = ProvenanceSigner(SigningMaterial(chain, key, "es256", generated=False))
    facts = Facts("ast_1", "job_1", fmt, "e", "d", "m")
    with pytest.raises(SigningFailed, match="supports png, jpeg, webp"):
        signer.sign(b"GIF89a", facts)
