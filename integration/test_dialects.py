"""Livy versions and Livy-shaped servers the kernel meets in the field (issue 14 item 2)."""
import json

from jupyter_client.manager import start_new_kernel

from cell_output import announcement, run, stdout
from devlivy.testing import LivyServer
from kernel_setup import install_kernelspec


def test_a_livy_07_that_refuses_ttl_still_starts_the_session_and_says_so(jupyter_sandbox, kernel_bin, tmp_path):
    server = LivyServer("--livy-version", "0.7")
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"session": {"eager_start": False, "ttl": "2h", "driverMemory": "600m"}}))
    install_kernelspec(kernel_bin, jupyter_sandbox, "livy-old", env={"LIVY_URL": server.url, "LIVY_KERNEL_CONFIG": str(config)})
    km, kc = start_new_kernel(kernel_name="livy-old", startup_timeout=30)
    try:
        reply, messages = run(kc, "print(6 * 7)")
        assert reply["status"] == "ok", reply
        assert stdout(messages) == "42\n"
        banner = announcement(messages)
        assert "does not know the session setting 'ttl'" in banner, banner
        session = server.get("/sessions").json()["sessions"][0]
        assert session["driverMemory"] == "600m", "the other settings were sent"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
        server.stop()


def test_on_yarn_shaped_app_info_the_link_still_names_the_drivers_own_ui(jupyter_sandbox, kernel_bin, tmp_path):
    """Real Livy on YARN gives the ResourceManager's proxy as appInfo.sparkUiUrl, never the driver:
    the kernel asks the driver, and the link and the lease name the port the driver really bound."""
    server = LivyServer("--app-info", "yarn")
    runtime = tmp_path / "runtime"
    install_kernelspec(kernel_bin, jupyter_sandbox, "livy-yarnish",
                       env={"LIVY_URL": server.url, "LIVY_KERNEL_RUNTIME_DIR": str(runtime)})
    km, kc = start_new_kernel(kernel_name="livy-yarnish", startup_timeout=30)
    try:
        reply, messages = run(kc, "print(spark.sparkContext.uiWebUrl)")
        assert reply["status"] == "ok", reply
        real_port = int(stdout(messages).strip().rsplit(":", 1)[1])
        session = server.get("/sessions").json()["sessions"][0]
        assert "/proxy/application_" in session["appInfo"]["sparkUiUrl"], session["appInfo"]
        banner = announcement(messages)
        assert f"/{real_port}/" in banner, banner
        leases = [json.loads(p.read_text()) for p in runtime.glob("**/*.json")]
        assert any(lease.get("port") == real_port and lease.get("driver_host") in ("127.0.0.1", "localhost")
                   for lease in leases), leases
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
        server.stop()
