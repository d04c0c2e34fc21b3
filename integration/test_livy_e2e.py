"""The kernel on real Spark through the dev Livy server, driven by jupyter_client."""
import random
import re
import time

from jupyter_client.manager import start_new_kernel

from cell_output import announcement, displays, run, session_id_of, stdout, tables
from devlivy.testing import LivyServer, free_port
from kernel_setup import install_kernelspec


def test_first_cell_announces_the_session_with_its_spark_ui_link(spark_kernel, livy):
    km, kc = spark_kernel
    messages = kc.first_cell_messages
    # The first cell printed spark.sparkContext.uiWebUrl: where the driver's UI really is.
    real_port = int(stdout(messages).strip().strip("'").rsplit(":", 1)[1])
    banner = [d for d in displays(messages) if d.get("text/plain", "").startswith("Spark session")][-1]
    assert f"/spark/" in banner["text/plain"]
    assert re.search(rf'href="/spark/[^/]+/{real_port}/"', banner["text/html"])


def test_print_and_value(spark_kernel):
    km, kc = spark_kernel
    reply, messages = run(kc, "print('hello, world')\nspark.range(100).count()")
    assert reply["status"] == "ok"
    assert stdout(messages) == "hello, world\n100\n"


def test_spark_error_is_shown_with_its_message(spark_kernel):
    km, kc = spark_kernel
    reply, messages = run(kc, "spark.sql('SELECT * FROM no_such_table').show()")
    assert reply["status"] == "error"
    assert reply["ename"] == "AnalysisException"
    assert "no_such_table" in reply["evalue"] and "TABLE_OR_VIEW_NOT_FOUND" in reply["evalue"]
    errors = [m for m in messages if m["msg_type"] == "error"]
    assert len(errors) == 1
    assert errors[0]["content"]["traceback"][-1].startswith("AnalysisException: ")


def test_python_syntax_error(spark_kernel):
    km, kc = spark_kernel
    reply, _ = run(kc, "def f(:")
    assert reply["status"] == "error" and reply["ename"] == "SyntaxError"


def test_state_persists_between_cells(spark_kernel):
    km, kc = spark_kernel
    run(kc, "df = spark.range(10).selectExpr('id', 'id * 2 AS twice')\ndf.createOrReplaceTempView('t')")
    reply, messages = run(kc, "%table [r.asDict() for r in spark.sql('SELECT max(twice) AS m FROM t').collect()]")
    assert reply["status"] == "ok"
    assert ">18</td>" in tables(messages)[0]


def test_interrupt_cancels_the_spark_job_and_keeps_the_session(spark_kernel, livy):
    km, kc = spark_kernel
    session = session_of_kernel(kc, livy)
    msg_id = kc.execute("import time\nspark.range(4).rdd.map(lambda x: time.sleep(120) or x).count()")
    time.sleep(6)  # the job is running on the driver
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=60)
    assert reply["parent_header"]["msg_id"] == msg_id
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "KeyboardInterrupt"
    statements = livy.get(f"/sessions/{session}/statements").json()["statements"]
    assert statements[-1]["state"] == "cancelled"
    reply, messages = run(kc, "21 * 2")
    assert reply["status"] == "ok" and stdout(messages) == "42\n"


def test_interrupts_never_leak_into_the_next_cell(spark_kernel):
    """50 interrupts at random moments of a short Spark cell (before it runs, while it runs, as it
    ends, while idle), each followed at once by the next cell without waiting for interrupt_reply:
    the next cell always runs normally. Clients do this (nbclient after a timeout, a double click)."""
    km, kc = spark_kernel
    rng = random.Random(2026)
    interrupted = 0
    for i in range(50):
        first = kc.execute(f"sc.parallelize(range(2), 2).map(lambda x: __import__('time').sleep({rng.uniform(0, 0.05):.3f}) or x).count()",
                           stop_on_error=False)
        time.sleep(rng.uniform(0, 0.15))
        km.interrupt_kernel()
        following = kc.execute(f"print('cell {i}')", stop_on_error=False)
        replies = {}
        while following not in replies:
            message = kc.get_shell_msg(timeout=60)
            replies[message["parent_header"]["msg_id"]] = message["content"]
        assert replies[following]["status"] == "ok", (i, replies[following])
        interrupted += replies[first]["status"] == "error"
    print(f"{interrupted} of 50 first cells were interrupted")


def session_of_kernel(kc, livy) -> int:
    """The Livy session a kernel runs in, found by its Spark application id."""
    _, messages = run(kc, "spark.sparkContext.applicationId")
    app_id = stdout(messages).strip().strip("'")
    return next(s["id"] for s in livy.get("/sessions").json()["sessions"] if s["appId"] == app_id)


def test_session_deleted_behind_the_kernels_back(livy):
    km, kc = start_new_kernel(kernel_name="livy-pyspark-dev", startup_timeout=30)
    try:
        _, messages = run(kc, "x = 41")
        old = session_id_of(messages)
        assert livy.delete(f"/sessions/{old}").status_code == 200
        reply, messages = run(kc, "print('after')")
        assert reply["status"] == "ok"
        warning = "".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream" and m["content"]["name"] == "stderr")
        assert f"Spark session {old} is no longer on the Livy server" in warning and "lost" in warning
        assert "after" in stdout(messages)
        assert session_id_of(messages) != old
        reply, _ = run(kc, "x")  # the old variable is gone with the old session
        assert reply["status"] == "error" and reply["ename"] == "NameError"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def test_livy_down_then_up(jupyter_sandbox, kernel_bin):
    port = free_port()
    install_kernelspec(kernel_bin, jupyter_sandbox, "livy-late", env={"LIVY_URL": f"http://127.0.0.1:{port}"})
    km, kc = start_new_kernel(kernel_name="livy-late", startup_timeout=30)
    server = None
    try:
        reply, messages = run(kc, "1 + 1", timeout=60)
        assert reply["status"] == "error"
        assert reply["ename"] == "LivyUnreachable"
        assert f"127.0.0.1:{port}" in reply["evalue"]
        assert km.is_alive()
        server = LivyServer(port=port)
        reply, messages = run(kc, "1 + 1")
        assert reply["status"] == "ok" and stdout(messages) == "2\n"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
        if server:
            server.stop()


def test_two_kernels_get_different_ui_ports(spark_kernel, livy):
    km2, kc2 = start_new_kernel(kernel_name="livy-pyspark-dev", startup_timeout=30)
    try:
        _, kc = spark_kernel
        _, second = run(kc2, "spark.sparkContext.uiWebUrl")
        ports = []
        for messages in (kc.first_cell_messages, second):
            real = int(stdout(messages).strip().strip("'").rsplit(":", 1)[1])
            link = announcement(messages)
            assert f"/{real}/" in link, "the link names the port the UI really uses"
            ports.append(real)
        assert ports[0] != ports[1]
    finally:
        kc2.stop_channels()
        km2.shutdown_kernel(now=False)


def test_shutdown_deletes_the_session(livy):
    km, kc = start_new_kernel(kernel_name="livy-pyspark-dev", startup_timeout=30)
    _, messages = run(kc, "1")
    session = session_id_of(messages)
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    assert livy.get(f"/sessions/{session}").status_code in (404, 200)
    state = livy.get(f"/sessions/{session}").json().get("state") if livy.get(f"/sessions/{session}").status_code == 200 else "gone"
    assert state in ("gone", "killed", "shutting_down"), state


def test_restart_keeps_the_session_and_its_variables(livy):
    """Jupyter's "Restart kernel": the new kernel process attaches to the same Livy session, so
    the notebook's Spark state survives; a shutdown afterwards deletes it."""
    km, kc = start_new_kernel(kernel_name="livy-pyspark-dev", startup_timeout=30)
    try:
        reply, messages = run(kc, "kept = 41 + 1")
        assert reply["status"] == "ok", reply
        session = session_id_of(messages)
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=60)
        reply, messages = run(kc, "print(kept)")
        assert reply["status"] == "ok", reply
        assert stdout(messages) == "42\n"
        assert session_id_of(messages) == session, "the restarted kernel announces the same session"
        assert livy.get(f"/sessions/{session}").json()["state"] in ("idle", "busy")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    response = livy.get(f"/sessions/{session}")
    assert response.status_code == 404 or response.json()["state"] in ("killed", "shutting_down", "dead")


def test_bad_config_is_reported_at_the_first_cell(jupyter_sandbox, kernel_bin, tmp_path, livy):
    config = tmp_path / "config.json"
    config.write_text('{"livy": {"url": "%s"}, "session": {"numExecutors": "two"}}' % livy.url)
    install_kernelspec(kernel_bin, jupyter_sandbox, "livy-badconfig", env={"LIVY_KERNEL_CONFIG": str(config)})
    km, kc = start_new_kernel(kernel_name="livy-badconfig", startup_timeout=30)
    try:
        reply, _ = run(kc, "1 + 1", timeout=30)
        assert reply["status"] == "error"
        assert reply["ename"] == "LivyKernelConfigError"
        assert str(config) in reply["evalue"] and "session.numExecutors" in reply["evalue"]
        assert km.is_alive()
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def test_failed_session_start_shows_the_log_tail(jupyter_sandbox, kernel_bin, tmp_path, livy):
    config = tmp_path / "config.json"
    # A driver JVM that cannot start: the session ends in error/dead while starting.
    config.write_text('{"session": {"driverMemory": "1x"}}')
    install_kernelspec(kernel_bin, jupyter_sandbox, "livy-badsession",
                       env={"LIVY_KERNEL_CONFIG": str(config), "LIVY_URL": livy.url})
    km, kc = start_new_kernel(kernel_name="livy-badsession", startup_timeout=30)
    try:
        reply, _ = run(kc, "1 + 1", timeout=120)
        assert reply["status"] == "error"
        assert reply["ename"] == "SparkSessionStartFailed", reply
        assert "while starting" in reply["evalue"]
        assert any("session log" in line for line in reply["traceback"])
        assert km.is_alive()
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
