"""`make demo` and `make lab`: the kernel, the dev Livy server on real Spark, and Jupyter, together.

    python tools/devstack.py demo --kernel-bin PATH   # run examples/demo.ipynb end to end
    python tools/devstack.py lab  --kernel-bin PATH   # JupyterLab for a person to try

The kernelspecs are installed into this virtualenv; the server runs on a free loopback port and
LIVY_URL points the kernel at it. Everything started here is stopped on exit.
"""
import argparse
import contextlib
import os
import pathlib
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

REPO = pathlib.Path(__file__).resolve().parent.parent
VENV = pathlib.Path(sys.prefix)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def isolate_from_user_config():
    """The dev server needs no auth or session settings: keep the user's own LivyKernel and
    sparkmagic config files (which may ask for Kerberos, say) out of the demo's kernels."""
    scratch = tempfile.mkdtemp(prefix="livykernel-devstack-config-")
    os.environ["LIVY_KERNEL_CONFIG"] = os.path.join(scratch, "none.json")
    os.environ["SPARKMAGIC_CONF_DIR"] = scratch


@contextlib.contextmanager
def dev_livy(port: int | None = None):
    """The dev Livy server in a subprocess; yields its URL."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    work = tempfile.mkdtemp(prefix="livykernel-devstack-")
    log = open(os.path.join(work, "devlivy.log"), "w")
    server = subprocess.Popen([sys.executable, "-m", "devlivy", "--host", "127.0.0.1", "--port", str(port),
                               "--work-dir", os.path.join(work, "sessions")],
                              cwd=REPO / "devlivy", stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/sessions", timeout=1).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the dev Livy server did not start; see {log.name}")
                time.sleep(0.2)
        print(f"dev Livy server on real Spark: {url} (log: {log.name})", flush=True)
        yield url
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def install_kernels(kernel_bin: str):
    subprocess.run([kernel_bin, "install", "--all", "--prefix", str(VENV)], check=True)


def demo(args) -> int:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    install_kernels(args.kernel_bin)
    isolate_from_user_config()
    notebook_path = REPO / "examples" / "demo.ipynb"
    output_path = REPO / "examples" / "demo.executed.ipynb"
    notebook = nbformat.read(str(notebook_path), as_version=4)
    with dev_livy() as url:
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
    parser.add_argument("command", choices=["demo", "lab"])
    parser.add_argument("--kernel-bin", required=True)
    parser.add_argument("--livy-port", type=int, default=None)
    args = parser.parse_args()
    return demo(args) if args.command == "demo" else lab(args)


if __name__ == "__main__":
    sys.exit(main())
