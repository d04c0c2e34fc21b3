"""The bench's sandbox: kernelspecs for both kernels in a temporary JUPYTER_PATH, and each kernel's
configuration (environment, config files, its own HOME for sparkmagic) for one Livy URL."""
import json
import os
import pathlib
import subprocess
import tempfile

from devlivy.launcher import free_port
from livybench.contenders import LK
from livybench.kernel import Kernel

SESSION_CONF = {"livy.rsc.sql.num-rows": "100000"}


class Setup:
    """The sandbox: kernelspecs for both kernels and their configuration for one Livy URL."""

    def __init__(self, kernel_bin: str, sparkmagic_python: str):
        self.root = pathlib.Path(tempfile.mkdtemp(prefix="livykernel-bench-"))
        self.logs = self.root / "logs"
        self.logs.mkdir()
        self.sparkmagic_python = sparkmagic_python
        os.environ["JUPYTER_PATH"] = str(self.root / "share" / "jupyter")
        subprocess.run([kernel_bin, "install", "--prefix", str(self.root), "--name", "bench-livykernel"],
                       check=True, capture_output=True)
        spec_dir = self.root / "share" / "jupyter" / "kernels" / "bench-sparkmagic"
        spec_dir.mkdir(parents=True)
        (spec_dir / "kernel.json").write_text(json.dumps({
            "argv": [sparkmagic_python, "-m", "sparkmagic.kernels.pysparkkernel.pysparkkernel", "-f",
                     "{connection_file}"],
            "display_name": "PySpark (sparkmagic)", "language": "python"}))
        (self.root / "livykernel.json").write_text(json.dumps({"session": {"conf": SESSION_CONF}}))

    def env(self, which: str, livy_url: str, eager: bool = True) -> dict:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "LIVY_"))}
        base["SPARK_LOCAL_IP"] = "127.0.0.1"
        if which == LK:
            base.update({"LIVY_URL": livy_url, "LIVY_KERNEL_CONFIG": str(self.root / "livykernel.json"),
                         "LIVY_KERNEL_RUNTIME_DIR": str(self.root / "runtime"),
                         "LIVY_KERNEL_EAGER_START": "true" if eager else "false"})
            return base
        home = self.root / f"home-{free_port()}"
        conf_dir = home / ".sparkmagic"
        conf_dir.mkdir(parents=True)
        # sparkmagic's defaults except the endpoint, the same session conf as LivyKernel, a generous
        # session start-up limit, and plain tables instead of ipywidgets (a headless client cannot
        # render widgets; pandas' HTML is what nbclient/papermill users get).
        (conf_dir / "config.json").write_text(json.dumps({
            "kernel_python_credentials": {"username": "", "password": "", "url": livy_url, "auth": "None"},
            "session_configs": {"conf": SESSION_CONF},
            "livy_session_startup_timeout_seconds": 180,
            "use_auto_viz": False,
        }))
        base.update({"HOME": str(home), "SPARKMAGIC_CONF_DIR": str(conf_dir)})
        return base

    def kernel(self, which: str, livy_url: str, eager: bool = True) -> Kernel:
        name = "bench-livykernel" if which == LK else "bench-sparkmagic"
        return Kernel(which, name, self.env(which, livy_url, eager), self.logs)
