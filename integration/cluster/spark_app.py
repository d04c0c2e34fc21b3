"""A kernel on the cluster and the Spark application behind its Livy session: cells run through
jupyter_client, and the driver's REST API asked directly, the test's own view of where work ran."""
from __future__ import annotations

import json
import time
import urllib.request

from jupyter_client.manager import start_new_kernel

from cell_output import run, stdout
from kernel_setup import stop_kernel

# The kernelspec conftest.py installs: the dev Livy server on the cluster, sessions sized for it.
KERNEL = "livy-pyspark-cluster"


class ClusterSession:
    """A started kernel whose first cell has run; `ui_url` is the driver's own UI (not proxied),
    `app_id` the application the master knows, `first_cell_messages` what that cell showed (the
    session announcement with the proxied Spark UI link)."""

    def __init__(self, kernel_name: str):
        self.km, self.kc = start_new_kernel(kernel_name=kernel_name, startup_timeout=30)
        try:
            reply, self.first_cell_messages = run(self.kc, "print(sc.uiWebUrl, sc.applicationId)")
            assert reply["status"] == "ok", reply
            self.ui_url, self.app_id = stdout(self.first_cell_messages).split()
        except BaseException:
            self.stop()
            raise

    def run(self, code: str, timeout: float = 180) -> tuple[dict, list[dict]]:
        """Executes a cell; returns (reply content, iopub messages)."""
        return run(self.kc, code, timeout=timeout)

    def api(self, path: str = ""):
        """`GET /api/v1/applications/<app><path>` of the driver, as JSON."""
        url = f"{self.ui_url}/api/v1/applications/{self.app_id}{path}"
        with urllib.request.urlopen(url, timeout=10) as answer:
            return json.load(answer)

    def executors(self) -> list[dict]:
        """The executors registered with the driver now, the driver itself left out."""
        return [e for e in self.api("/executors") if e["id"] != "driver"]

    def wait_executors(self, count: int, timeout: float = 90) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(executors := self.executors()) < count:
            assert time.monotonic() < deadline, f"{len(executors)} executors after {timeout:.0f} s, wanted {count}"
            time.sleep(0.25)
        return executors

    def stop(self) -> None:
        """Shuts the kernel down as Jupyter does, which deletes its Livy session."""
        stop_kernel(self.km, self.kc)
