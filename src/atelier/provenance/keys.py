"""The signing key and certificate chain: the operator's (``ATELIER_PROVENANCE__*``), or a
local pair generated into the data folder on first start.

c2pa-rs refuses to sign with a self-signed end-entity certificate, so the generated pair is
a small local chain: a CA that exists only in the data folder, and a signing certificate it
issued with the profile C2PA asks for (critical key usage ``digitalSignature``, extended key
usage ``emailProtection`` + ``documentSigning``, not a CA, key identifiers). No trust list
knows that CA, so validators report the signer as untrusted (``signingCredential.untrusted``)
while the signature and the hashes validate."""

from __future__ import annotations

import datetime as dt
import secrets
import shutil
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from atelier.settings import Settings

#: id-kp-documentSigning (RFC 9336), one of the two purposes C2PA accepts by default.
DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")
FOLDER = "provenance"
CHAIN_FILE = "signer-chain.pem"
KEY_FILE = "signer-key.pem"
CA_FILE = "local-ca.pem"
VALIDITY = dt.timedelta(days=3650)


@dataclass(frozen=True)
class SigningMaterial:
    #: PEM certificates, the signing one first, then its issuers.
    chain_pem: bytes
    key_pem: bytes
    #: c2pa's name of the algorithm (``es256``, ``ps256``, …).
    algorithm: str
    #: True for the pair generated into the data folder (no trust list knows its CA).
    generated: bool
    timestamp_url: str | None = None

    @property
    def certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificates(self.chain_pem)[0]


def _name(common: str) -> x509.Name:
    return x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, common), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Atelier")]
    )


def _usage(*, sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not sign,
        crl_sign=not sign,
        encipher_only=False,
        decipher_only=False,
    )


def generate_chain() -> tuple[bytes, bytes, bytes]:
    """A local CA and a signing certificate it issued (ES256, P-256): chain PEM (leaf
    first), the signing key (PKCS#8 PEM) and the CA's certificate PEM."""
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("Atelier local provenance CA")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(sign=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name("Atelier content signer"))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(sign=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    ca_pem = ca.public_bytes(pem)
    key_pem = key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return leaf.public_bytes(pem) + ca_pem, key_pem, ca_pem


def _generated(settings: Settings) -> tuple[bytes, bytes]:
    """The data folder's pair, generated on first start. Written to a private temporary
    folder and renamed into place, so processes starting together end up with one pair."""
    folder = settings.prepare_data_dir() / FOLDER
    if not (folder / KEY_FILE).exists():
        staging = folder.with_name(f".{FOLDER}-{secrets.token_hex(6)}")
        staging.mkdir(mode=0o700)
        chain, key, ca = generate_chain()
        for name, body in ((CHAIN_FILE, chain), (KEY_FILE, key), (CA_FILE, ca)):
            path = staging / name
            path.touch(mode=0o600)
            path.write_bytes(body)
        try:
            staging.rename(folder)
        except OSError:  # another process got there first: its pair is the one
            shutil.rmtree(staging, ignore_errors=True)
    return (folder / CHAIN_FILE).read_bytes(), (folder / KEY_FILE).read_bytes()


def load_material(settings: Settings) -> SigningMaterial:
    conf = settings.provenance
    if conf.certificate_file is not None and conf.private_key_file is not None:
        return SigningMaterial(
            chain_pem=conf.certificate_file.read_bytes(),
            key_pem=conf.private_key_file.read_bytes(),
            algorithm=conf.algorithm,
            generated=False,
            timestamp_url=conf.timestamp_url,
        )
    chain, key = _generated(settings)
    return SigningMaterial(chain, key, "es256", generated=True, timestamp_url=conf.timestamp_url)
