"""What a run was: the versions compared, the commit, and the machine; the head of latest.json."""
import datetime
import os
import pathlib
import platform
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]


def meta(quick: bool, plan: dict, sparkmagic_python: str) -> dict:
    return {"generated": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "quick": quick,
            "cpus": os.cpu_count(), "machine": platform.platform(), "plan": plan, **versions(sparkmagic_python)}


def versions(sparkmagic_python: str) -> dict:
    def run(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip()
        except Exception:  # noqa: BLE001
            return "?"
    return {
        "sparkmagic_version": run([sparkmagic_python, "-c", "import sparkmagic; print(sparkmagic.__version__)"]),
        "spark_version": run([sys.executable, "-c", "import pyspark; print(pyspark.__version__)"]),
        "git_commit": run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]),
    }
