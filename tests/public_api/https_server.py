"""A self-signed certificate and `tmf serve` over HTTPS in a subprocess, for clients that only speak HTTPS."""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from ipaddress import ip_address
from pathlib import Path

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

STARTUP_SECONDS = 60


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ip_address("127.0.0.1"))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def tmf_serve_https(database_url: str, pepper: str, folder: Path,
                    extra_env: dict[str, str] | None = None) -> Iterator[tuple[str, Path]]:
    """Run `tmf serve --ssl-certfile --ssl-keyfile` on the test database; yields (host:port, certificate)."""
    cert_file, key_file = self_signed_certificate(folder)
    port = free_port()
    env = {**os.environ, "DATA_DIR": str(folder / "server"), "DATABASE_URL": database_url, "SECRET_KEY": pepper,
           "RATE_LIMIT_GENERAL": "100000", "LOG_LEVEL": "warning", **(extra_env or {})}
    log = (folder / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tiemeasureflow", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--ssl-certfile", str(cert_file), "--ssl-keyfile", str(key_file)],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=folder,
    )
    address = f"127.0.0.1:{port}"
    try:
        _wait_healthy(proc, f"https://{address}/hardpy/api/v1/healthcheck", cert_file, folder / "server.log")
        yield address, cert_file
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _wait_healthy(proc: subprocess.Popen, url: str, cert_file: Path, log_file: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"tmf serve exited with {proc.returncode}:\n{log_file.read_text()}")
        try:
            # Verified against the test's own certificate: the server really speaks TLS with it.
            if httpx.get(url, verify=ssl.create_default_context(cafile=str(cert_file)), timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"tmf serve did not answer within {STARTUP_SECONDS}s:\n{log_file.read_text()}")
