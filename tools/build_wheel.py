"""Builds the `livykernel` wheel (`make wheel`) from a built binary: stages the binary, the
kernelspecs the binary itself writes (pointing at the binary pip installs next to them), and the
Spark UI proxy with its drop-in config, then runs the wheel build (hatchling, packaging/wheel/)."""
import argparse
import pathlib
import shutil
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
PROJECT = REPO / "packaging" / "wheel"
# Jupyter replaces {resource_dir} with the kernelspec's directory, <prefix>/share/jupyter/kernels/<name>;
# pip puts the binary in <prefix>/bin. Relative, so it holds for a venv, --user and system installs.
EXECUTABLE = "{resource_dir}/../../../../bin/livy-kernel"


def stage(binary: pathlib.Path) -> pathlib.Path:
    staging = PROJECT / "staging"
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "bin").mkdir(parents=True)
    shutil.copy2(binary, staging / "bin" / "livy-kernel")
    subprocess.run(["strip", "--strip-unneeded", str(staging / "bin" / "livy-kernel")], check=True)
    subprocess.run([str(staging / "bin" / "livy-kernel"), "install", "--all", "--prefix", str(staging),
                    "--executable", EXECUTABLE], check=True, stdout=subprocess.DEVNULL)
    shutil.copytree(REPO / "sparkui_proxy" / "sparkui_proxy", staging / "sparkui_proxy",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "sparkui_proxy" / "jupyter-config", staging / "etc" / "jupyter")
    return staging


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--binary", required=True, type=pathlib.Path, help="the livy-kernel binary to ship")
    parser.add_argument("--out", default=REPO / "dist", type=pathlib.Path)
    args = parser.parse_args()
    stage(args.binary.resolve())
    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("livykernel-*.whl"):
        old.unlink()
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(args.out), str(PROJECT)],
                   check=True)
    [wheel] = args.out.glob("livykernel-*.whl")
    print(wheel)
    return 0


if __name__ == "__main__":
    sys.exit(main())
