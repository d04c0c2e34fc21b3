"""Livy versions and Livy-shaped servers the kernel meets in the field (issue 14 item 2)."""
import json

from jupyter_client.manager import start_new_kernel

from cell_output import displays, run, stdout
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
        banner = next(d["text/plain"] for d in displays(messages) if "Spark session" in d.get("text/plain", ""))
        assert "does not know the session setting 'ttl'" in banner, banner
        session = server.get("/sessions").json()["sessions"][0]
        assert session["driverMemory"] == "600m", "the other settings were sent"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
        server.stop()
