"""An MIT Kerberos realm on loopback: its own krb5.conf and kdc.conf (through KRB5_CONFIG and
KRB5_KDC_PROFILE, so /etc/krb5.conf is never read or touched), a database with the user `alice`
and the web service `HTTP/localhost`, a keytab for each, and `krb5kdc` as a child process.

Passwords are random per run and never printed; tests get tickets through `kinit`.
"""
from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from pathlib import Path

from loopback import wait_accepting

REALM = "LIVY.TEST"
USER = "alice"
SERVICE = "HTTP/localhost"  # the SPN libcurl asks for when the URL's host is `localhost`


class KerberosRealm:
    """Started on construction; `stop()` ends the KDC (the files stay until the root is removed)."""

    def __init__(self, root: Path, port: int):
        self.root = root
        self.port = port
        self.kdc_dir = root / "kdc"
        self.kdc_dir.mkdir(parents=True)
        self.krb5_conf = root / "krb5.conf"
        self.kdc_conf = root / "kdc.conf"
        self.user_keytab = root / "client" / "alice.keytab"
        self.service_keytab = root / "httpd" / "http.keytab"
        self.user_keytab.parent.mkdir(parents=True, exist_ok=True)
        self.service_keytab.parent.mkdir(parents=True, exist_ok=True)
        self._password = secrets.token_urlsafe(12)
        self._write_configs()
        self._create_database()
        self.process = subprocess.Popen(
            # -n: stay in the foreground, so the KDC is our child and stops with it.
            ["krb5kdc", "-n", "-r", REALM], env={**os.environ, **self.env()},
            stdout=open(self.kdc_dir / "stdout", "wb"), stderr=subprocess.STDOUT)
        wait_accepting(port, self.process)

    @property
    def user_principal(self) -> str:
        return f"{USER}@{REALM}"

    def env(self, ccache: Path | None = None) -> dict[str, str]:
        """The variables a Kerberos client or server of this realm needs (and a ticket cache)."""
        env = {"KRB5_CONFIG": str(self.krb5_conf), "KRB5_KDC_PROFILE": str(self.kdc_conf)}
        if ccache is not None:
            env["KRB5CCNAME"] = f"FILE:{ccache}"
        return env

    def kinit(self, ccache: Path, lifetime: str | None = None) -> None:
        """Gets alice a ticket into `ccache` with her password (read from stdin, as a user types it)."""
        args = ["kinit"] + (["-l", lifetime] if lifetime else []) + [self.user_principal]
        subprocess.run(args, input=self._password + "\n", text=True, check=True, capture_output=True,
                       env={**os.environ, **self.env(ccache)})

    def klist(self, ccache: Path) -> str:
        return subprocess.run(["klist", "-c", f"FILE:{ccache}"], text=True, capture_output=True,
                              env={**os.environ, **self.env(ccache)}).stdout

    def chown_service_keytab(self, user: str) -> None:
        """httpd's workers run as `user` and must read the service keytab (ktadd writes it 0600);
        only root has another user to give it to."""
        if os.geteuid() == 0:
            shutil.chown(self.service_keytab, user, user)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # krb5kdc -n exits on SIGTERM
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    # ----- setup ---------------------------------------------------------------------------------

    def _write_configs(self) -> None:
        # No DNS: the KDC is named by address; rdns and canonicalization off, so the SPN is taken
        # from the URL's host name as written (`localhost` → HTTP/localhost).
        self.krb5_conf.write_text(f"""[libdefaults]
  default_realm = {REALM}
  dns_lookup_realm = false
  dns_lookup_kdc = false
  rdns = false
  dns_canonicalize_hostname = false
[realms]
  {REALM} = {{
    kdc = 127.0.0.1:{self.port}
  }}
[domain_realm]
  localhost = {REALM}
""")
        self.kdc_conf.write_text(f"""[kdcdefaults]
  kdc_listen = 127.0.0.1:{self.port}
  kdc_tcp_listen = 127.0.0.1:{self.port}
[realms]
  {REALM} = {{
    database_name = {self.kdc_dir}/principal
    key_stash_file = {self.kdc_dir}/stash
    acl_file = {self.kdc_dir}/kadm5.acl
  }}
[logging]
  kdc = FILE:{self.kdc_dir}/kdc.log
""")

    def _create_database(self) -> None:
        env = {**os.environ, **self.env()}

        def run(*args: str) -> None:
            subprocess.run(args, env=env, check=True, capture_output=True)

        run("kdb5_util", "create", "-s", "-r", REALM, "-P", secrets.token_hex(16))
        # The password goes on kadmin.local's command line, visible in `ps` for a moment: it is a
        # random password of a throwaway realm, which is acceptable here.
        run("kadmin.local", "-q", f"addprinc -pw {self._password} {USER}")
        # -norandkey keeps alice's password valid after exporting her key.
        run("kadmin.local", "-q", f"ktadd -k {self.user_keytab} -norandkey {USER}")
        run("kadmin.local", "-q", f"addprinc -randkey {SERVICE}")
        run("kadmin.local", "-q", f"ktadd -k {self.service_keytab} {SERVICE}")
