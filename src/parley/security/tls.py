"""TLS for `parley serve`: checking the certificate and key before the server starts, and
`parley dev-cert`, a local certificate authority and a server certificate signed by it
for trying HTTPS on one machine (never for production: its CA key lies beside it)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEV_NAMES = ("localhost", "127.0.0.1", "::1")


class TlsConfigError(Exception):
    """The certificate or key cannot serve: the message says which file and why."""


def check_tls(cert: Path, key: Path) -> None:
    """Load the pair as the server will, so that a missing, unreadable or mismatched file
    stops `parley serve` with a clear message instead of a traceback from uvicorn."""
    for what, path in (("certificate", cert), ("private key", key)):
        if not path.is_file():
            raise TlsConfigError(f"TLS {what} file {path} does not exist.")
        try:
            path.read_bytes()
        except OSError as exc:
            raise TlsConfigError(f"TLS {what} file {path} cannot be read: {exc.strerror}.") from exc
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(cert, key)
    except ssl.SSLError as exc:
        raise TlsConfigError(
            f"TLS certificate {cert} and key {key} do not form a usable pair "
            f"(PEM files, the key matching the certificate): {exc.reason or exc}."
        ) from exc


@dataclass(frozen=True)
class DevCert:
    ca: Path
    cert: Path
    key: Path


def make_dev_cert(out: Path, names: tuple[str, ...] = DEV_NAMES, days: int = 825) -> DevCert:
    """Write `ca.pem` (trust this one), `ca-key.pem`, `server.pem` (the server certificate
    followed by the CA's) and `server-key.pem` into `out`. Keys are P-256."""
    out.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Parley development CA")])
    ca = (
        _builder(ca_name, ca_name, ca_key.public_key(), now, days)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    leaf = (
        _builder(leaf_name, ca_name, key.public_key(), now, days)
        .add_extension(x509.SubjectAlternativeName([_san(n) for n in names]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(ca=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = DevCert(out / "ca.pem", out / "server.pem", out / "server-key.pem")
    pem = serialization.Encoding.PEM
    paths.ca.write_bytes(ca.public_bytes(pem))
    paths.cert.write_bytes(leaf.public_bytes(pem) + ca.public_bytes(pem))
    _write_key(out / "ca-key.pem", ca_key)
    _write_key(paths.key, key)
    return paths


def _builder(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    now: dt.datetime,
    days: int,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
    )


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _san(name: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
