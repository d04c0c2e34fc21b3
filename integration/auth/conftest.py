"""Fixtures of the authentication suite (`make test-auth`): a Kerberos realm, a private CA, and
Apache httpd authenticating (SPNEGO, Basic) over TLS in front of a dev Livy server that takes
httpd's `X-Remote-User` as the authenticated user (as Livy's own SPNEGO filter or Knox would tell
it) and impersonates as Livy does, plus a factory for kernels configured against them.

Everything lives in one temp dir (0755: httpd's workers run as www-data and must reach the keytab
and htpasswd file) and is stopped and removed at the end of the run, also after a failure.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest

from auth_kernel import AuthKernel, Cell
from devlivy.testing import LivyServer
from httpd import BASIC_USER, AuthProxy
from kdc import KerberosRealm
from loopback import free_ports
from tls_certs import Certificates, make_certificates


# The server programs this suite runs, and the Debian package of each (`make test-auth` installs them).
SERVER_TOOLS = {"krb5kdc": "krb5-kdc", "kdb5_util": "krb5-kdc", "kadmin.local": "krb5-admin-server",
                "kinit": "krb5-user", "klist": "krb5-user", "apache2": "apache2", "htpasswd": "apache2-utils",
                "openssl": "openssl"}
GSSAPI_MODULE = "/usr/lib/apache2/modules/mod_auth_gssapi.so"


@pytest.fixture(scope="session", autouse=True)
def server_tools():
    """Ends the run at once, naming the packages, when a server program is missing. The daemons
    live in /usr/sbin, which a non-root PATH often lacks, so it is added for this run."""
    saved = os.environ["PATH"]
    os.environ["PATH"] = saved + ":/usr/sbin:/sbin"
    missing = {package for tool, package in SERVER_TOOLS.items() if shutil.which(tool) is None}
    if not os.path.exists(GSSAPI_MODULE):
        missing.add("libapache2-mod-auth-gssapi")
    if missing:
        pytest.exit(f"the auth suite needs the Debian packages {' '.join(sorted(missing))}: run `make test-auth`", 2)
    yield
    os.environ["PATH"] = saved


@pytest.fixture(scope="session")
def auth_root():
    root = Path(tempfile.mkdtemp(prefix="livykernel-auth-"))
    root.chmod(0o755)
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def realm(auth_root) -> KerberosRealm:
    (port,) = free_ports(1)
    realm = KerberosRealm(auth_root / "realm", port)
    yield realm
    realm.stop()


@pytest.fixture(scope="session")
def livy():
    """The dev Livy server behind httpd (it replaces integration/conftest.py's). Basic's user is a
    superuser, as a gateway's service account is: it may start sessions as a configured proxyUser."""
    server = LivyServer("--remote-user-header", "X-Remote-User", "--superusers", BASIC_USER)
    yield server
    assert server.stop() == 0, server.server_log()[-3000:]


@pytest.fixture(scope="session")
def certs(auth_root) -> Certificates:
    return make_certificates(auth_root / "tls")


@pytest.fixture(scope="session")
def auth_proxy(auth_root, livy, realm, certs) -> AuthProxy:
    (port,) = free_ports(1)
    proxy = AuthProxy(auth_root / "httpd", port, livy.url, realm, certs)
    yield proxy
    proxy.stop()
    assert proxy.process.returncode == 0, proxy.log_tail()


@pytest.fixture
def ccache(auth_root) -> Path:
    """A ticket cache path of this test's own, empty until the test runs kinit."""
    return new_ccache(auth_root)


@pytest.fixture(scope="module")
def module_ccache(auth_root) -> Path:
    return new_ccache(auth_root)


def new_ccache(root: Path) -> Path:
    # A fresh cache per kernel: a ticket left from another test must not make a case pass.
    (root / "ccaches").mkdir(exist_ok=True)
    return root / "ccaches" / uuid.uuid4().hex


@pytest.fixture(scope="module")
def kernels(auth_root):
    """Starts kernels (`kernels.start(livy={...}, session={...}, env={...})`), and stops every one
    of them at the end of the test module, whatever the tests did: no kernel of one module is
    still talking to httpd (or holding a Spark session) while the next one runs."""
    started: list[AuthKernel] = []
    work = auth_root / "kernels"
    work.mkdir(exist_ok=True)

    class Starter:
        @staticmethod
        def start(**settings) -> AuthKernel:
            kernel = AuthKernel(work, **settings)
            started.append(kernel)
            return kernel

    yield Starter
    for kernel in started:
        kernel.stop()


@pytest.fixture(scope="module")
def first_cell(kernels, livy, auth_proxy):
    """Starts a kernel (`livy=`, `session=`, `env=` as for AuthKernel), runs `code` as its first
    cell and returns it, with what happened meanwhile: `new_sessions` on the dev server (a refused
    kernel must leave none) and `httpd_requests`, httpd's access log lines (`user method path status`)."""
    def start_and_run(code: str = "1 + 1", **settings) -> Cell:
        before, logged = session_ids(livy), len(auth_proxy.access_lines())
        cell = kernels.start(**settings).run(code)
        cell.new_sessions = session_ids(livy) - before
        cell.httpd_requests = auth_proxy.access_lines()[logged:]
        return cell
    return start_and_run


def session_ids(livy) -> set[int]:
    return {s["id"] for s in livy.get("/sessions").json()["sessions"]}


# ----- how the kernel connects in each setup (its config file's `livy` section) -------------------

@pytest.fixture(scope="session")
def kerberos_livy(auth_proxy, certs) -> dict:
    """SPNEGO through httpd over TLS, trusting the suite's CA."""
    return {"url": auth_proxy.url("gss"), "auth": "kerberos", "ca_bundle": str(certs.ca_pem)}


@pytest.fixture(scope="session")
def basic_livy(auth_proxy, certs) -> dict:
    """Basic with bob's right password through httpd over TLS, trusting the suite's CA."""
    return {"url": auth_proxy.url("basic"), "auth": "basic", "username": BASIC_USER,
            "password": auth_proxy.basic_password, "ca_bundle": str(certs.ca_pem)}
