"""`make demo`, `make demo-cluster` and `make lab`: the kernel, the dev Livy server on real Spark,
and Jupyter, together.

    python tools/devstack.py demo --kernel-bin PATH           # run examples/demo.ipynb end to end
    python tools/devstack.py demo-cluster --kernel-bin PATH   # the same on a Spark standalone cluster
    python tools/devstack.py lab  --kernel-bin PATH           # JupyterLab for a person to try

The kernelspecs are installed into this virtualenv; the server runs on a free loopback port and
LIVY_URL points the kernel at it. Everything started here is stopped on exit.
"""
import argparse
import contextlib
import json
import os
import pathlib
import re
import signal
import subprocess
import sys
import tempfile
import time

from devlivy.launcher import dev_livy
from devlivy.standalone import StandaloneCluster

REPO = pathlib.Path(__file__).resolve().parent.parent
VENV = pathlib.Path(sys.prefix)


def isolate_from_user_config(session: dict | None = None):
    """The dev server needs no auth: keep the user's own LivyKernel and sparkmagic config files
    (which may ask for Kerberos, say) out of the demo's kernels; `session` settings, if any, are the
    only thing in the config file they get."""
    scratch = tempfile.mkdtemp(prefix="livykernel-devstack-config-")
    os.environ["LIVY_KERNEL_CONFIG"] = os.path.join(scratch, "config.json" if session else "none.json")
    os.environ["SPARKMAGIC_CONF_DIR"] = scratch
    if session:
        with open(os.environ["LIVY_KERNEL_CONFIG"], "w") as f:
            json.dump({"session": session}, f)


@contextlib.contextmanager
def cluster_livy(cluster: StandaloneCluster):
    """A Spark standalone cluster on loopback (a master, two one-core workers) and the dev Livy
    server on it; yields the server's URL. Says which executors each worker ran before stopping
    everything (and fails if a process of the cluster is left)."""
    with cluster:
        workers = ", ".join(w.web_url for w in cluster.workers)
        print(f"Spark standalone cluster: {cluster.master_url}, master UI {cluster.web_url}, workers {workers}",
              flush=True)
        with dev_livy(master=cluster.master_url) as url:
            yield url
        for index, worker in enumerate(cluster.workers):
            state = cluster.worker_state(index)
            ran = [f"executor {e['id']} of {e['appid']}" for e in state["executors"] + state["finishedexecutors"]]
            print(f"{worker.name} ({worker.web_url}) ran {', '.join(ran) or 'no executor'}")


def install_kernels(kernel_bin: str):
    subprocess.run([kernel_bin, "install", "--all", "--prefix", str(VENV)], check=True)


def demo(args) -> int:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    install_kernels(args.kernel_bin)
    cluster = StandaloneCluster() if args.command == "demo-cluster" else None
    isolate_from_user_config(cluster.session_settings() if cluster else None)
    notebook_path = REPO / "examples" / "demo.ipynb"
    output_path = REPO / "examples" / ("demo.cluster.executed.ipynb" if cluster else "demo.executed.ipynb")
    notebook = nbformat.read(str(notebook_path), as_version=4)
    with cluster_livy(cluster) if cluster else dev_livy() as url:
        os.environ["LIVY_URL"] = url
        client = NotebookClient(notebook, kernel_name="livy-pyspark", timeout=600, startup_timeout=60)
        started = time.monotonic()
        failed = None
        try:
            client.execute()
        except CellExecutionError as error:
            failed = error
        elapsed = time.monotonic() - started
    nbformat.write(notebook, str(output_path))
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    ran = sum(1 for c in code_cells if c.get("execution_count"))
    link = None
    for cell in code_cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/plain", "")
            match = re.search(r"Spark UI (\S+)", text if isinstance(text, str) else "".join(text))
            link = link or (match and match.group(1))
    print(f"\nDemo: {ran} of {len(code_cells)} code cells run in {elapsed:.1f} s")
    print(f"Spark UI link shown in the notebook: {link or '(none)'}")
    print(f"Executed notebook: {output_path.relative_to(REPO)}")
    if failed:
        print(f"\nA cell failed:\n{failed}", file=sys.stderr)
        return 1
    return 0


def lab(args) -> int:
    install_kernels(args.kernel_bin)
    isolate_from_user_config()
    with dev_livy(args.livy_port) as url:
        env = dict(os.environ, LIVY_URL=url)
        command = [str(VENV / "bin" / "jupyter"), "lab", "--ip", "127.0.0.1", "--no-browser",
                   f"--notebook-dir={REPO / 'examples'}"]
        if os.geteuid() == 0:
            command.append("--allow-root")  # containers often run as root
        print("Starting JupyterLab; open the URL it prints and pick 'PySpark (Livy)'. Ctrl-C stops everything.")
        lab_process = subprocess.Popen(command, env=env)
        try:
            return lab_process.wait()
        except KeyboardInterrupt:
            lab_process.send_signal(signal.SIGINT)
            lab_process.send_signal(signal.SIGINT)
            lab_process.wait(30)
            return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["demo", "demo-cluster", "lab"])
    parser.add_argument("--kernel-bin", required=True)
    parser.add_argument("--livy-port", type=int, default=None)
    args = parser.parse_args()
    return lab(args) if args.command == "lab" else demo(args)


if __name__ == "__main__":
    sys.exit(main())
