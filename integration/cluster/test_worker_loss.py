"""A worker lost while a cell's job runs on both executors (SIGKILL to the worker's process group:
the worker JVM, its executor and the executor's Python workers, as when a machine goes away).
Spark runs the lost tasks again on the other executor and the cell gives the right answer (or, if
Spark gives up, the cell fails naming the lost executor); either way the next cell works."""
import re
import threading
import time

JOB = """
import time
sc.setJobDescription('worker loss')
print(sc.parallelize(range(16), 16).map(lambda i: (time.sleep(2), i)[1]).sum())
sc.setJobDescription(None)
"""
VICTIM = 1  # the second worker


def kill_when_both_busy(cluster, session, killed: dict) -> None:
    """Kills worker VICTIM once each executor runs a task of the job; notes which executor it ran."""
    try:
        deadline = time.monotonic() + 90
        while not all(e["activeTasks"] > 0 for e in session.executors()):
            assert time.monotonic() < deadline, "the job never ran on both executors"
            time.sleep(0.2)
        [executor] = [e for e in cluster.worker_state(VICTIM)["executors"] if e["appid"] == session.app_id]
        cluster.kill_worker(VICTIM)
        killed["executor"] = str(executor["id"])
    except BaseException as error:  # reported by the test, not lost in the thread
        killed["error"] = error


def test_a_worker_killed_mid_job_then_the_next_cell_works(cluster, session):
    killed = {}
    killer = threading.Thread(target=kill_when_both_busy, args=(cluster, session, killed))
    killer.start()
    reply, messages = session.run(JOB, timeout=240)
    killer.join()
    assert "error" not in killed, killed.get("error")
    victim = killed["executor"]

    if reply["status"] == "ok":
        assert "".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream") == "120\n"
        [job] = [j for j in session.api("/jobs") if j.get("description") == "worker loss"]
        assert job["status"] == "SUCCEEDED"
        [stage] = job["stageIds"]
        tasks = [t for attempt in session.api(f"/stages/{stage}") for t in
                 session.api(f"/stages/{stage}/{attempt['attemptId']}/taskList?length=200")]
        lost = [t for t in tasks if t["status"] == "FAILED"]
        assert lost and all(t["executorId"] == victim and "ExecutorLostFailure" in t["errorMessage"] for t in lost), lost
        assert {t["index"] for t in tasks if t["status"] == "SUCCESS"} == set(range(16))
    else:
        text = "\n".join([reply["ename"], reply["evalue"], *reply["traceback"]])
        assert re.search(rf"ExecutorLostFailure|[Ll]ost executor {victim}\b", text), text

    # The driver knows the executor is gone; the survivor takes the next cell.
    survivors = session.executors()
    assert len(survivors) == 1 and survivors[0]["id"] != victim, survivors
    reply, messages = session.run("print(sc.parallelize(range(100), 4).sum())")
    assert reply["status"] == "ok", reply
    assert "".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream") == "4950\n"
    assert len(cluster.alive_workers()) == 1
