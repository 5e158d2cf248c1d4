"""`parley serve` over real TLS: a certificate from `parley dev-cert`, HTTPS and WSS to the
real server process, the chain it presents checked against the development CA, HSTS and
the Secure cookie that follow; and a server that refuses to start without its key."""

from __future__ import annotations

import json
import socket
import ssl
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import websockets
from cryptography import x509

from tests.conftest import free_port
from tests.helpers import SETUP
from tests.processes import parley_env, parley_serve


@pytest.fixture(scope="module")
def dev_cert(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tls")
    done = _cli("dev-cert", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "--tls-cert" in done.stderr and "ca.pem" in done.stderr  # how to use and trust it
    return out


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "parley.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def _trusting(ca: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(ca))


def _answers(url: str, ca: Path) -> bool:
    try:
        return httpx.get(f"{url}/api/v1/health", verify=_trusting(ca), timeout=1).is_success
    except httpx.HTTPError:
        return False


async def test_https_and_wss_with_the_dev_certificate(dev_cert: Path, tmp_path: Path) -> None:
    ca, port = dev_cert / "ca.pem", free_port()
    url = f"https://127.0.0.1:{port}"
    env = parley_env(tmp_path, port)
    tls = (
        "--tls-cert",
        str(dev_cert / "server.pem"),
        "--tls-key",
        str(dev_cert / "server-key.pem"),
    )
    with parley_serve(env, tmp_path / "server.log", lambda: _answers(url, ca), *tls):
        _check_presented_chain(port, ca)
        async with httpx.AsyncClient(base_url=f"{url}/api/v1", verify=_trusting(ca)) as http:
            setup = await http.post("/setup", json=SETUP)
            assert setup.status_code == 201, setup.text
            assert setup.headers["strict-transport-security"] == "max-age=31536000"
            cookie = setup.headers["set-cookie"].lower()
            assert "parley_session=" in cookie and "; secure" in cookie and "httponly" in cookie
            token, me = setup.json()["login"]["token"], setup.json()["login"]["user"]["id"]
            page = await http.get(f"{url}/api/docs")
            assert "max-age=" in page.headers["strict-transport-security"]

        async with websockets.connect(
            f"wss://127.0.0.1:{port}/api/v1/ws", ssl=_trusting(ca), origin=url
        ) as ws:
            await ws.send(json.dumps({"type": "auth", "token": token}))
            hello = json.loads(await ws.recv())
            assert (hello["type"], hello["user_id"]) == ("hello", me), hello

        # Plain HTTP to the TLS port gets no answer a browser would use, and without the CA
        # a client refuses the certificate.
        async with httpx.AsyncClient(timeout=2) as default_trust:
            with pytest.raises(httpx.HTTPError):
                await default_trust.get(f"http://127.0.0.1:{port}/api/v1/health")
            with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
                await default_trust.get(f"{url}/api/v1/health")


def _check_presented_chain(port: int, ca_file: Path) -> None:
    """The leaf the server presents is issued (and signed) by the dev CA and names
    127.0.0.1 and localhost; the handshake verifies for that address."""
    ca = x509.load_pem_x509_certificate(ca_file.read_bytes())
    with (
        socket.create_connection(("127.0.0.1", port), timeout=5) as raw,
        _trusting(ca_file).wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        der = tls.getpeercert(binary_form=True)
    assert der is not None
    leaf = x509.load_der_x509_certificate(der)
    assert leaf.issuer == ca.subject and leaf != ca
    leaf.verify_directly_issued_by(ca)  # raises if the CA did not sign it
    san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "127.0.0.1" in [str(ip) for ip in san.get_values_for_type(x509.IPAddress)]
    assert "localhost" in san.get_values_for_type(x509.DNSName)
    constraints = leaf.extensions.get_extension_for_class(x509.BasicConstraints).value
    assert constraints.ca is False


@pytest.mark.parametrize("broken", ["missing_key", "missing_cert", "wrong_key", "not_pem"])
def test_a_bad_certificate_or_key_stops_the_start(
    dev_cert: Path, tmp_path: Path, broken: str
) -> None:
    cert, key = dev_cert / "server.pem", dev_cert / "server-key.pem"
    if broken == "missing_key":
        key = tmp_path / "nowhere.pem"
    elif broken == "missing_cert":
        cert = tmp_path / "nowhere.pem"
    elif broken == "wrong_key":
        key = dev_cert / "ca-key.pem"
    else:
        key = tmp_path / "garbage.pem"
        key.write_text("not a key")
    port = free_port()
    env = parley_env(tmp_path, port, tls_cert=str(cert), tls_key=str(key))
    done = _cli("serve", env=env)
    assert done.returncode == 2, done.stderr
    message = " ".join(done.stderr.split())
    assert "TLS" in message and "Traceback" not in done.stderr
    assert str(tmp_path / "nowhere.pem") in message if broken.startswith("missing") else True
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass


def test_a_certificate_without_its_key_is_a_settings_error(tmp_path: Path) -> None:
    env = parley_env(tmp_path, free_port(), tls_cert=str(tmp_path / "server.pem"))
    done = _cli("serve", env=env)
    assert done.returncode != 0
    assert "set both tls_cert and tls_key" in done.stderr
