"""Fixtures of the standalone-cluster suite (`make test-cluster`): one Spark standalone cluster on
loopback (a master and two one-core workers, devlivy.standalone), one dev Livy server whose
sessions run on it, and a `livy-pyspark-cluster` kernelspec pinned to that server whose config
file sizes each session for the cluster: one 512 MB, one-core executor per worker (1 GB each).

With two cores in the cluster and `spark.cores.max` 2, one application holds every core: a module
waits for the previous application to be gone before it starts a kernel (`idle_cluster`), and a
worker a test killed is started again before the next kernel (`restore_workers`).
"""
from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import time

import pytest

from devlivy.standalone import StandaloneCluster
from devlivy.testing import LivyServer
from kernel_setup import install_kernelspec

REPO = pathlib.Path(__file__).resolve().parents[2]
# The Spark UI proxy suite's helpers (its jupyter_server runner, browser fixture, user names).
sys.path.append(str(REPO / "sparkui_proxy" / "tests"))
from names import OWNER  # noqa: E402

from spark_app import KERNEL, ClusterSession  # noqa: E402



@pytest.fixture(scope="session")
def cluster():
    """The cluster for the whole run; its teardown fails the run if any of its processes is left."""
    cluster = StandaloneCluster(workers=2, cores=1, memory="1g", executor_memory="512m").start()
    yield cluster
    left = cluster.stop()
    assert not left, f"processes of the cluster still alive: {left}"
    daemons = spark_daemons_of(cluster)
    assert not daemons, f"Master/Worker JVMs of this run still alive: {daemons}"


def spark_daemons_of(cluster: StandaloneCluster) -> list[str]:
    """Master and Worker java processes whose command line names this cluster's master port (by
    `ps`, independently of how the cluster finds its own processes)."""
    out = subprocess.run(["ps", "-e", "-o", "pid=,comm=,args="], capture_output=True, text=True).stdout
    port = str(cluster.port)
    found = []
    for line in out.splitlines():
        pid, comm, args = line.split(None, 2)
        words = args.split()
        daemon = any(w.endswith((".deploy.master.Master", ".deploy.worker.Worker")) for w in words)
        if comm == "java" and daemon and (f"spark://127.0.0.1:{port}" in words or port in words):
            found.append(f"{pid} {args[:160]}")
    return found


def restore_workers(cluster: StandaloneCluster) -> None:
    """Every worker running and ALIVE again (a test may have killed one)."""
    for index, worker in enumerate(cluster.workers):
        if not worker.running:
            cluster.start_worker(index, wait=False)
    cluster.wait_workers(60)


@pytest.fixture(scope="session")
def livy(cluster, jupyter_sandbox, kernel_bin, tmp_path_factory):
    """The dev Livy server on the cluster (it replaces integration/conftest.py's), and the
    `livy-pyspark-cluster` kernelspec: LIVY_URL pinned to it, the cluster's session settings in its
    config file (as a data team's kernel config would say them), its Spark UI link made for the
    proxy test's Jupyter owner."""
    server = LivyServer("--master", cluster.master_url)
    config = tmp_path_factory.mktemp("cluster-kernel") / "livykernel.json"
    config.write_text(json.dumps({"session": cluster.session_settings()}))
    install_kernelspec(kernel_bin, jupyter_sandbox, KERNEL, env={
        "LIVY_URL": server.url, "LIVY_KERNEL_CONFIG": str(config), "LIVY_KERNEL_USER": OWNER})
    yield server
    assert server.stop() == 0, server.server_log()[-3000:]


@pytest.fixture
def idle_cluster(cluster, livy):
    """Both workers up and no application holding the cluster's cores (the previous test's
    session is gone)."""
    restore_workers(cluster)
    wait_no_applications(cluster)
    return cluster


def wait_no_applications(cluster: StandaloneCluster, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while (apps := cluster.state()["activeapps"]) and time.monotonic() < deadline:
        time.sleep(0.25)
    assert not apps, f"applications still on the cluster after {timeout:.0f} s: {[a['id'] for a in apps]}"


@pytest.fixture(scope="module")
def session(cluster, livy):
    """A kernel on the cluster for a module's tests, its session up and both executors registered
    with its driver; shut down (deleting its session) after the module, and its application gone."""
    restore_workers(cluster)
    wait_no_applications(cluster)
    started = ClusterSession(KERNEL)
    try:
        started.wait_executors(len(cluster.workers))
        yield started
    finally:
        started.stop()
    wait_no_applications(cluster)
