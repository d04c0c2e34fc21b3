"""Apache httpd as an authenticating TLS reverse proxy in front of the dev Livy server, the way a
Kerberised Livy or a gateway such as Knox stands in front of a data team's Livy.

One HTTPS port (certificate for `localhost`, issued by the suite's private CA), two paths:
- `/gss/`   SPNEGO (mod_auth_gssapi) with the keytab of HTTP/localhost;
- `/basic/` HTTP Basic against an htpasswd file with the user `bob`.
Both pass the authenticated user on as `X-Remote-User` (replacing any the client sent) and drop
the client's Authorization header, then proxy to the dev server. The access log records the
authenticated user of every request, so tests can tell an authenticated request from an anonymous one.

httpd runs in the foreground as our child (-DFOREGROUND) with its own config file, pid file, logs
and Kerberos replay cache, all under the suite's temp dir; Debian's /etc/apache2 is never read.
"""
from __future__ import annotations

import getpass
import grp
import os
import secrets
import shutil
import subprocess
from pathlib import Path

from kdc import KerberosRealm
from loopback import wait_accepting
from tls_certs import Certificates

BASIC_USER = "bob"
# httpd refuses to serve as root: started by root, its workers switch to www-data; started by
# anyone else, they stay that user (and the files they read need no new owner).
_AS_ROOT = os.geteuid() == 0
WORKER_USER = "www-data" if _AS_ROOT else getpass.getuser()
WORKER_GROUP = "www-data" if _AS_ROOT else grp.getgrgid(os.getegid()).gr_name
MODULES = Path("/usr/lib/apache2/modules")
_LOADED = ["mpm_event", "authn_core", "authn_file", "auth_basic", "authz_core", "authz_user",
           "auth_gssapi", "proxy", "proxy_http", "headers", "socache_shmcb", "ssl"]


class AuthProxy:
    """Started on construction; `stop()` ends it. `url(path)` is the kernel's livy.url for a path."""

    def __init__(self, root: Path, port: int, backend_url: str, realm: KerberosRealm, certs: Certificates):
        self.root = root
        self.port = port
        self.basic_password = secrets.token_urlsafe(12)
        for sub in ("run", "logs"):
            (root / sub).mkdir(parents=True, exist_ok=True)
        # The workers write the Kerberos replay cache and read the keytab and htpasswd file.
        self.rcache = root / "rcache"
        self.rcache.mkdir(exist_ok=True)
        if _AS_ROOT:
            shutil.chown(self.rcache, WORKER_USER, WORKER_GROUP)
        realm.chown_service_keytab(WORKER_USER)
        self.htpasswd = root / "htpasswd"
        # -i: the password comes on stdin, never on a command line.
        subprocess.run(["htpasswd", "-ci", str(self.htpasswd), BASIC_USER], input=self.basic_password,
                       text=True, check=True, capture_output=True)
        self.error_log = root / "logs" / "error.log"
        self.access_log = root / "logs" / "access.log"
        self.conf = root / "httpd.conf"
        self.conf.write_text(self._config(backend_url, realm, certs))
        # Only what httpd needs: KRB5_CONFIG for the realm (else /etc/krb5.conf's default realm is
        # used and GssapiLocalName fails), KRB5RCACHEDIR so no replay cache is left in /var/tmp.
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "KRB5_CONFIG": str(realm.krb5_conf),
               "KRB5RCACHEDIR": str(self.rcache)}
        self.process = subprocess.Popen(["apache2", "-f", str(self.conf), "-DFOREGROUND"], env=env,
                                        stdout=open(root / "logs" / "stdout", "wb"), stderr=subprocess.STDOUT)
        try:
            wait_accepting(port, self.process)
        except Exception as error:
            raise RuntimeError(f"httpd did not start: {error}\n{self.log_tail()}") from error

    def url(self, path: str, host: str = "localhost") -> str:
        return f"https://{host}:{self.port}/{path.strip('/')}"

    def access_lines(self) -> list[str]:
        """`<user> <method> <path> <status>` for every request so far (`-` for no user)."""
        return self.access_log.read_text().splitlines() if self.access_log.exists() else []

    def log_tail(self, lines: int = 30) -> str:
        """The end of httpd's error log, and what it printed before it had one (config errors)."""
        text = "".join(path.read_text() for path in (self.root / "logs" / "stdout", self.error_log) if path.exists())
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # the foreground parent stops its workers, then exits
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def _config(self, backend_url: str, realm: KerberosRealm, certs: Certificates) -> str:
        backend = backend_url.rstrip("/") + "/"
        # What both paths do once the user is known: say who it is, keep the credentials here.
        forward = f"""  RequestHeader set X-Remote-User expr=%{{REMOTE_USER}}
  RequestHeader unset Authorization
  ProxyPass {backend}"""
        loads = "\n".join(f"LoadModule {name}_module {MODULES}/mod_{name}.so" for name in _LOADED)
        return f"""ServerRoot {self.root}
ServerName localhost
Listen 127.0.0.1:{self.port}
PidFile {self.root}/run/httpd.pid
DefaultRuntimeDir {self.root}/run
ErrorLog {self.error_log}
LogLevel warn auth_gssapi:info
User {WORKER_USER}
Group {WORKER_GROUP}
{loads}
LogFormat "%u %m %U %>s" auth
CustomLog {self.access_log} auth
SSLSessionCache shmcb:{self.root}/run/ssl_scache(512000)
<VirtualHost 127.0.0.1:{self.port}>
  SSLEngine on
  SSLCertificateFile {certs.server_pem}
  SSLCertificateKeyFile {certs.server_key}
</VirtualHost>
<Location /gss/>
  AuthType GSSAPI
  AuthName "Kerberos"
  GssapiCredStore keytab:{realm.service_keytab}
  GssapiAllowedMech krb5
  # REMOTE_USER `alice`, not `alice@REALM`: the name Livy would take as the session's proxyUser.
  GssapiLocalName On
  Require valid-user
{forward}
</Location>
<Location /basic/>
  AuthType Basic
  AuthName "Livy"
  AuthBasicProvider file
  AuthUserFile {self.htpasswd}
  Require valid-user
{forward}
</Location>
"""
