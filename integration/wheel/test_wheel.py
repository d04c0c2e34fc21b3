"""`pip install livykernel` (issue 17 item 1): the wheel `make wheel` builds, installed into a fresh
virtualenv on a PATH without the Swift toolchain, lists its three kernelspecs at once, runs a
notebook against the dev Livy server on real Spark through them, and the proxy it enables serves
the cell's Spark UI link."""
import json
import os
import pathlib
import re
import secrets
import subprocess
import time
import urllib.request
import zipfile

from devlivy.testing import free_port

HERE = pathlib.Path(__file__).resolve().parent
KERNELS = {"livy-pyspark", "livy-scala", "livy-sql"}
# What the binary may still load from the system (and their own dependencies): no Swift runtime.
SWIFT_LIBRARIES = ("libswift", "libFoundation", "libdispatch", "libBlocksRuntime", "lib_FoundationICU", "libicu")


def test_the_wheel_says_what_it_needs(wheel):
    # py3 (no Python in it), no ABI, the linked platform: not manylinux (it links system libcurl and libzmq).
    assert wheel.name.endswith("-py3-none-linux_x86_64.whl"), wheel.name
    names = set(zipfile.ZipFile(wheel).namelist())
    data = "livykernel-0.1.0.data"
    assert f"{data}/scripts/livy-kernel" in names
    for kernel in KERNELS:
        assert f"{data}/data/share/jupyter/kernels/{kernel}/kernel.json" in names
    assert f"{data}/data/etc/jupyter/jupyter_server_config.d/sparkui_proxy.json" in names
    assert "sparkui_proxy/handlers.py" in names


def test_the_binary_needs_no_swift_runtime(fresh_env):
    prefix, environment = fresh_env
    binary = prefix / "bin" / "livy-kernel"
    assert os.access(binary, os.X_OK)
    linked = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=True).stdout
    assert "not found" not in linked, linked
    assert not [line for line in linked.splitlines() if any(lib in line for lib in SWIFT_LIBRARIES)], linked
    assert "libcurl" in linked and "libzmq" in linked, "the system libraries the README names"
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True, env=environment, check=True)
    assert version.stdout.strip(), version


def test_pip_install_is_enough_for_jupyter_to_list_the_kernels(fresh_env):
    prefix, environment = fresh_env
    listing = subprocess.run([str(prefix / "bin" / "jupyter"), "kernelspec", "list", "--json"], capture_output=True,
                             text=True, env=environment, check=True)
    specs = json.loads(listing.stdout)["kernelspecs"]
    assert KERNELS <= set(specs), specs
    for kernel in KERNELS:
        assert pathlib.Path(specs[kernel]["resource_dir"]).is_relative_to(prefix), specs[kernel]
        assert specs[kernel]["spec"]["argv"][0] == "{resource_dir}/../../../../bin/livy-kernel"


def test_the_proxy_extension_is_enabled_by_the_wheel(fresh_env):
    prefix, environment = fresh_env
    listing = subprocess.run([str(prefix / "bin" / "jupyter"), "server", "extension", "list"], capture_output=True,
                             text=True, env=environment)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", listing.stdout + listing.stderr)  # without jupyter's colours
    assert "sparkui_proxy enabled" in plain and "sparkui_proxy 0.1.0 OK" in plain, plain


def test_a_notebook_runs_through_the_installed_kernelspec_and_its_link_is_served(fresh_env, livy, tmp_path):
    prefix, environment = fresh_env
    token = secrets.token_hex(16)
    port = free_port()
    runtime = tmp_path / "spark-ui"
    environment = {**environment, "LIVY_URL": livy.url, "LIVY_KERNEL_RUNTIME_DIR": str(runtime),
                   "LIVY_KERNEL_USER": "wheeluser", "LIVY_KERNEL_CONFIG": str(tmp_path / "none.json"),
                   "SPARK_LOCAL_IP": "127.0.0.1"}
    arguments = [str(prefix / "bin" / "jupyter"), "server", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
                 "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp_path}"]
    if os.getuid() == 0:
        arguments.append("--allow-root")
    log = open(tmp_path / "jupyter_server.log", "w")
    server = subprocess.Popen(arguments, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/api/status?token=" + token, timeout=2)
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "jupyter_server.log").read_text()
                time.sleep(0.2)
        done = subprocess.run([str(prefix / "bin" / "python"), str(HERE / "run_in_env.py"), url, token],
                              capture_output=True, text=True, env=environment, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        result = json.loads(done.stdout.splitlines()[-1])
        assert "5" in [text.strip() for text in result["outputs"]], result
        assert result["argv0"] == "{resource_dir}/../../../../bin/livy-kernel", result
        assert result["link"] and result["link"].startswith("/spark/wheeluser/"), result
        assert result["proxy_status"] == 200 and result["proxy_page_has_jobs"], result
    finally:
        server.terminate()
        server.wait(30)
        log.close()
