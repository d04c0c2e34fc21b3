"""A private certificate authority and the server certificate httpd serves, made with openssl.

The server certificate names `localhost` only (no IP address), so a client that connects to
https://127.0.0.1 meets a certificate for another host name. A second, unrelated CA stands for a
company bundle that does not hold the server's issuer.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

# EC P-256: about four times faster to generate than RSA-2048, and every TLS stack accepts it.
_EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]


@dataclass(frozen=True)
class Certificates:
    ca_pem: Path            # the CA that issued the server certificate (what ca_bundle should name)
    stranger_ca_pem: Path   # a CA that issued nothing the server presents
    server_pem: Path        # subjectAltName DNS:localhost only
    server_key: Path


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def _make_ca(directory: Path, name: str) -> tuple[Path, Path]:
    pem, key = directory / f"{name}.pem", directory / f"{name}.key"
    _openssl("req", "-x509", *_EC_KEY, "-days", "2", "-subj", f"/CN={name}",
             "-keyout", str(key), "-out", str(pem),
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=directory)
    return pem, key


def make_certificates(directory: Path) -> Certificates:
    directory.mkdir(parents=True, exist_ok=True)
    ca_pem, ca_key = _make_ca(directory, "LivyKernel Test CA")
    stranger_pem, _ = _make_ca(directory, "Unrelated Test CA")
    key, csr, ext, pem = (directory / f"server.{suffix}" for suffix in ("key", "csr", "ext", "pem"))
    _openssl("req", *_EC_KEY, "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(csr), cwd=directory)
    ext.write_text("subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n")
    _openssl("x509", "-req", "-in", str(csr), "-CA", str(ca_pem), "-CAkey", str(ca_key), "-CAcreateserial",
             "-days", "2", "-extfile", str(ext), "-out", str(pem), cwd=directory)
    return Certificates(ca_pem=ca_pem, stranger_ca_pem=stranger_pem, server_pem=pem, server_key=key)
