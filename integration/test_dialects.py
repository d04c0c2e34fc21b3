"""Livy versions and Livy-shaped servers the kernel meets in the field (issue 14 item 2)."""
import json

from jupyter_client.manager import start_new_kernel

from cell_output import announcement, displays, run, stdout
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


def test_lighter_with_its_compatibility_header_runs_cells_and_leaves_no_session(jupyter_sandbox, kernel_bin, tmp_path):
    """The dev server playing Lighter (`--dialect lighter`, from Lighter's source): UUID ids, the
    name only in submitParams, `executionCount`, errors whose type is `evalue` and whose message is
    in a Java-printed traceback, statement state `error`, no job groups. The kernel is pointed at
    /lighter/api with Lighter's compatibility header, as Lighter's docs tell sparkmagic users."""
    server = LivyServer("--dialect", "lighter", ready_path="/lighter/api/sessions")
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"livy": {"url": server.url + "/lighter/api",
                                           "headers": {"X-Compatibility-Mode": "sparkmagic"}}}))
    install_kernelspec(kernel_bin, jupyter_sandbox, "livy-lighter", env={"LIVY_KERNEL_CONFIG": str(config)})
    km, kc = start_new_kernel(kernel_name="livy-lighter", startup_timeout=30)
    try:
        reply, messages = run(kc, "x = 20\nprint(x + 1)")
        assert reply["status"] == "ok", reply
        assert stdout(messages) == "21\n"
        [session] = server.get("/lighter/api/sessions", headers={"X-Compatibility-Mode": "sparkmagic"}).json()["sessions"]
        assert len(session["id"]) == 36, "a UUID"
        assert f"Spark session {session['id']}" in announcement(messages)
        reply, _ = run(kc, "undefined_name")
        assert reply["status"] == "error"
        assert reply["ename"] == "NameError", reply
        assert reply["evalue"] == "name 'undefined_name' is not defined", reply
        reply, messages = run(kc, "print(x * 2)")
        assert stdout(messages) == "40\n", "the same session after an error"
        reply, messages = run(kc, "%%sessions")
        assert reply["status"] == "ok", reply
        assert session["id"] in "".join(d.get("text/plain", "") for d in displays(messages))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    try:
        live = [s for s in server.get("/lighter/api/sessions", headers={"X-Compatibility-Mode": "sparkmagic"}).json()["sessions"]
                if server.get(f"/lighter/api/sessions/{s['id']}").status_code == 200]
        assert live == [], "shutdown deleted the one session the kernel made"
    finally:
        server.stop()
