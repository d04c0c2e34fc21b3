"""The kernel as Jupyter drives it: jupyter_client against the real livy-kernel binary."""
import os
import signal
import time

import pytest
from jupyter_client.manager import start_new_kernel


def collect_iopub(kc, parent_id: str, timeout: float = 5.0) -> list[dict]:
    """The iopub messages of one request, through its `idle`."""
    messages = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg = kc.get_iopub_msg(timeout=deadline - time.monotonic())
        if msg["parent_header"].get("msg_id") != parent_id:
            continue
        messages.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return messages
    raise AssertionError(f"no idle for {parent_id}; got {[m['msg_type'] for m in messages]}")


@pytest.mark.parametrize("kind, language, extension", [
    ("pyspark", "python", ".py"),
    ("scala", "scala", ".scala"),
    ("sql", "sql", ".sql"),
])
def test_kernel_info_per_kind(kind, language, extension):
    km, kc = start_new_kernel(kernel_name=f"livy-{kind}", startup_timeout=30)
    try:
        msg_id = kc.kernel_info()
        reply = kc.get_shell_msg(timeout=5)
        assert reply["parent_header"]["msg_id"] == msg_id
        content = reply["content"]
        assert content["status"] == "ok"
        assert content["protocol_version"] == "5.3"
        assert content["implementation"] == "livykernel"
        assert content["language_info"]["name"] == language
        assert content["language_info"]["file_extension"] == extension
        assert content["banner"]
        header = reply["header"]
        assert header["version"] == "5.3"
        assert header["session"] != kc.session.session, "the kernel must use its own session id"
        states = [m["content"]["execution_state"] for m in collect_iopub(kc, msg_id) if m["msg_type"] == "status"]
        assert states == ["busy", "idle"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def test_execute_without_livy_is_a_clear_error(kernel):
    km, kc = kernel
    msg_id = kc.execute("spark.range(10).count()")
    reply = kc.get_shell_msg(timeout=5)
    assert reply["parent_header"]["msg_id"] == msg_id
    content = reply["content"]
    assert content["status"] == "error"
    assert content["ename"] == "LivyNotConfigured"
    assert content["execution_count"] == 1
    assert any("LIVY_URL" in line for line in content["traceback"])

    iopub = collect_iopub(kc, msg_id)
    types = [m["msg_type"] for m in iopub]
    assert types == ["status", "execute_input", "error", "status"]
    error = iopub[2]["content"]
    assert error["ename"] == "LivyNotConfigured"
    assert "no Livy server is configured" in error["evalue"]
    assert error["traceback"][-1] == f"{error['ename']}: {error['evalue']}"

    # The kernel stays usable and the counter moves on.
    kc.execute("1 + 1")
    assert kc.get_shell_msg(timeout=5)["content"]["execution_count"] == 2


def test_silent_execute_publishes_only_status(kernel):
    km, kc = kernel
    msg_id = kc.execute("", silent=True)
    reply = kc.get_shell_msg(timeout=5)
    assert reply["content"]["status"] == "ok"
    assert reply["content"]["execution_count"] == 0
    assert [m["msg_type"] for m in collect_iopub(kc, msg_id)] == ["status", "status"]


@pytest.mark.parametrize("code, status", [
    ("x = 1", "complete"),
    ("df = spark.range(10)\ndf.count()", "complete"),
    ("def f(x):", "incomplete"),
    ("spark.range(10).filter(", "incomplete"),
    ("s = '''open", "incomplete"),
    ("x = (1]", "invalid"),
    ("%%sql\nSELECT 'a;b'", "complete"),
    ("%%sql\nSELECT /* open", "incomplete"),
])
def test_is_complete(kernel, code, status):
    km, kc = kernel
    kc.is_complete(code)
    reply = kc.get_shell_msg(timeout=5)
    assert reply["msg_type"] == "is_complete_reply"
    assert reply["content"]["status"] == status
    if status == "incomplete":
        assert "indent" in reply["content"]


def test_complete_inspect_history_comm_info_answer(kernel):
    km, kc = kernel
    kc.complete("spark.ra", 8)
    reply = kc.get_shell_msg(timeout=5)["content"]
    assert reply["status"] == "ok" and reply["cursor_end"] == 8 and "metadata" in reply

    kc.inspect("spark", 3)
    reply = kc.get_shell_msg(timeout=5)["content"]
    assert reply["status"] == "ok" and reply["found"] is False

    kc.execute("first cell")
    kc.get_shell_msg(timeout=5)
    kc.history(hist_access_type="tail", n=5)
    reply = kc.get_shell_msg(timeout=5)["content"]
    assert reply["history"] == [[1, 1, "first cell"]]

    kc.comm_info()
    assert kc.get_shell_msg(timeout=5)["content"] == {"status": "ok", "comms": {}}


def test_unknown_comm_open_is_closed(kernel):
    km, kc = kernel
    msg = kc.session.msg("comm_open", {"comm_id": "c1", "target_name": "jupyter.widget", "data": {}})
    kc.shell_channel.send(msg)
    iopub = collect_iopub(kc, msg["header"]["msg_id"])
    closes = [m for m in iopub if m["msg_type"] == "comm_close"]
    assert len(closes) == 1 and closes[0]["content"]["comm_id"] == "c1"


def test_interrupt_while_idle_keeps_kernel(kernel):
    km, kc = kernel
    km.interrupt_kernel()  # what JupyterLab's button does: interrupt_request on the manager's control socket
    msg = kc.session.msg("interrupt_request", {})
    kc.control_channel.send(msg)
    reply = kc.control_channel.get_msg(timeout=5)
    assert reply["msg_type"] == "interrupt_reply" and reply["content"]["status"] == "ok"
    assert reply["parent_header"]["msg_id"] == msg["header"]["msg_id"]
    os.kill(km.provisioner.process.pid, signal.SIGINT)  # what a console's Ctrl-C sends
    time.sleep(0.3)
    assert km.is_alive()
    kc.kernel_info()
    assert kc.get_shell_msg(timeout=5)["msg_type"] == "kernel_info_reply"


def test_shutdown_request_exits_promptly(kernel):
    km, kc = kernel
    process = km.provisioner.process
    started = time.monotonic()
    kc.shutdown(restart=False)
    reply = kc.control_channel.get_msg(timeout=5)
    assert reply["msg_type"] == "shutdown_reply"
    assert reply["content"] == {"status": "ok", "restart": False}
    assert process.wait(timeout=5) == 0
    assert time.monotonic() - started < 3, "the kernel must exit by itself right after shutdown_reply"


def test_shutdown_on_shell_for_old_clients(kernel):
    km, kc = kernel
    msg = kc.session.msg("shutdown_request", {"restart": True})
    kc.shell_channel.send(msg)
    reply = kc.get_shell_msg(timeout=5)
    assert reply["msg_type"] == "shutdown_reply" and reply["content"]["restart"] is True
    assert km.provisioner.process.wait(timeout=5) == 0


def test_sigterm_exits_cleanly(kernel):
    km, kc = kernel
    process = km.provisioner.process
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=5) == 0
