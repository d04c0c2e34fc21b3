"""The real `livy-pyspark` kernel started through jupyter_client with a config file of the test's
making, and what one of its cells showed.

The kernel's environment is the test run's (Jupyter directories in the sandbox of
integration/conftest.py) with every LIVY_* setting removed, so only the config file decides how
the kernel connects; Kerberos variables are the ones the test passes (its realm, its ticket cache).
"""
from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client.manager import KernelManager

from cell_output import run, session_id_of, stdout
from kernel_setup import stop_kernel

# Connection settings a user could have in the environment; removed so the config file decides.
_USER_SETTINGS = ("LIVY_URL", "LIVY_AUTH", "LIVY_USERNAME", "LIVY_PASSWORD", "LIVY_VERIFY_TLS",
                  "LIVY_CA_BUNDLE", "LIVY_PROXY_USER", "KRB5CCNAME", "KRB5_CONFIG", "KRB5_CLIENT_KTNAME")


@dataclass
class Cell:
    reply: dict
    messages: list[dict]
    # Filled in by the caller: sessions that appeared on the dev server while the kernel started
    # and ran the cell, and the requests httpd logged meanwhile (`user method path status`).
    new_sessions: set[int] = field(default_factory=set)
    httpd_requests: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.reply["status"] == "ok"

    @property
    def stdout(self) -> str:
        return stdout(self.messages)

    @property
    def ename(self) -> str:
        return self.reply.get("ename", "")

    @property
    def error_text(self) -> str:
        """ename, evalue and traceback: everything the notebook shows of the error."""
        return "\n".join([self.ename, self.reply.get("evalue", ""), *self.reply.get("traceback", [])])

    @property
    def session_id(self) -> int:
        return session_id_of(self.messages)

    def describe(self) -> str:
        return self.error_text if not self.ok else f"ok, stdout {self.stdout!r}"


class AuthKernel:
    """A started kernel whose config file is `{"livy": livy, "session": session}`; `env` adds to
    (and overrides) its environment."""

    def __init__(self, work: Path, livy: dict, session: dict | None = None, env: dict | None = None):
        config = work / f"livykernel-{uuid.uuid4().hex[:8]}.json"
        config.write_text(json.dumps({"livy": livy, "session": session or {}}))
        kernel_env = {k: v for k, v in os.environ.items() if k not in _USER_SETTINGS}
        kernel_env.update({"LIVY_KERNEL_CONFIG": str(config), **(env or {})})
        self.km = KernelManager(kernel_name="livy-pyspark")
        self.km.start_kernel(env=kernel_env)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=30)

    def run(self, code: str, timeout: float = 180) -> Cell:
        reply, messages = run(self.kc, code, timeout=timeout)
        return Cell(reply, messages)

    def stop(self) -> None:
        """Shuts the kernel down the way Jupyter does (it deletes its Livy session), or kills it."""
        stop_kernel(self.km, self.kc)
