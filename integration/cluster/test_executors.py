"""A cell's work runs on the workers' executors, not in the driver: seen from inside the tasks
(each runs in its executor's directory, `<worker work dir>/<app id>/<executor id>`), from the
driver's REST API (which executor ran each task) and from each worker's own JSON."""
import json
import pathlib

CELL = """
import json, os, time
sc.setJobDescription('where tasks run')
placed = sc.parallelize(range(8), 8).map(lambda i: (time.sleep(0.5), i, os.getcwd())[1:]).collect()
sc.setJobDescription(None)
print(json.dumps({'app': sc.applicationId, 'driver_cwd': os.getcwd(), 'placed': placed}))
"""


def test_tasks_run_on_the_two_workers_executors(cluster, session):
    reply, messages = session.run(CELL)
    assert reply["status"] == "ok", reply
    seen = json.loads("".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream"))
    assert seen["app"] == session.app_id
    assert sorted(i for i, _ in seen["placed"]) == list(range(8))

    # Inside the tasks: each ran in an executor directory of one of the workers, both workers used.
    task_dirs = {pathlib.Path(cwd) for _, cwd in seen["placed"]}
    assert {d.parent.parent for d in task_dirs} == {cluster.work_dir(i) for i in range(len(cluster.workers))}, task_dirs
    assert {d.parent.name for d in task_dirs} == {session.app_id}
    seen_in_tasks = {d.name for d in task_dirs}
    assert not pathlib.Path(seen["driver_cwd"]).is_relative_to(cluster.root), "the driver runs outside the cluster"

    # The driver's record: two executors besides itself, on loopback, and they ran the job's tasks.
    executors = {e["id"]: e for e in session.executors()}
    assert set(executors) == seen_in_tasks and "driver" not in seen_in_tasks, (executors.keys(), seen_in_tasks)
    assert all(e["hostPort"].startswith("127.0.0.1:") for e in executors.values()), executors
    [job] = [j for j in session.api("/jobs") if j.get("description") == "where tasks run"]
    assert job["status"] == "SUCCEEDED" and job["numTasks"] == 8
    [stage] = job["stageIds"]
    tasks = session.api(f"/stages/{stage}/0/taskList?length=100")
    assert len(tasks) == 8 and {t["status"] for t in tasks} == {"SUCCESS"}
    assert {t["executorId"] for t in tasks} == seen_in_tasks

    # Each worker's record: it runs exactly the executor whose directory is its own.
    for index in range(len(cluster.workers)):
        running = [str(e["id"]) for e in cluster.worker_state(index)["executors"] if e["appid"] == session.app_id]
        assert running == [d.name for d in task_dirs if d.parent.parent == cluster.work_dir(index)], running
