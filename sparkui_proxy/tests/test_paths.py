"""Pure parts: path parsing, Location rewriting, query cleaning, records. Milliseconds."""
from __future__ import annotations

import os

import pytest

from kernel_records import dead_pid, write_record
from sparkui_proxy import paths, records


def test_parse_splits_user_port_and_raw_rest():
    p = paths.parse("/spark/alice/4040/jobs/job/", "/")
    assert (p.user, p.port, p.rest, p.bare) == ("alice", 4040, "/jobs/job/", False)
    assert paths.parse("/spark/alice/4040", "/").bare
    assert paths.parse("/spark/alice/4040/", "/").rest == "/"
    hub = paths.parse("/user/j%C3%B6rg/spark/j%C3%B6rg/4041/static/a%20b.js", "/user/j%C3%B6rg/")
    assert (hub.user, hub.user_segment, hub.rest) == ("jörg", "j%C3%B6rg", "/static/a%20b.js")


@pytest.mark.parametrize("path", [
    "/spark/alice/4040/../4041/", "/spark/alice/4040/a/%2e%2e/b", "/spark/alice/4040/a%2Fb",
    "/spark/alice/4040/%5c", "/spark/alice/4040//evil", "/spark/alice/4040/%252e%252e/",
    "/spark/alice/04040/", "/spark/alice/65536/", "/spark/alice/0/", "/spark/alice/-1/", "/spark/alice/4040x/",
    "/spark/al%2Fice/4040/", "/spark/../4040/", "/spark//4040/", "/spark/alice/", "/spark/alice/4040/a%0d%0ab",
    "/spark/alice/4040/%ff", "/spark/%ff/4040/", "/sparky/alice/4040/", "/spark/alice/4040/a\\..\\b",
])
def test_parse_refuses(path):
    with pytest.raises(paths.BadPath):
        paths.parse(path, "/")


def test_rewrite_location():
    upstream = {"127.0.0.1:4040", "localhost:4040"}
    rewrite = lambda loc: paths.rewrite_location(loc, upstream_authorities=upstream, public_prefix="/spark/a/4040")
    assert rewrite("http://127.0.0.1:4040/jobs/") == "/spark/a/4040/jobs/"
    assert rewrite("http://LOCALHOST:4040/jobs/?id=1#x") == "/spark/a/4040/jobs/?id=1#x"
    assert rewrite("/jobs/") == "/spark/a/4040/jobs/"
    assert rewrite("/spark/a/4040/jobs/") == "/spark/a/4040/jobs/"   # proxyRedirectUri already applied
    assert rewrite("stages/") == "stages/"                           # relative: stays under the prefix
    assert rewrite("http://127.0.0.1:4041/jobs/") == "http://127.0.0.1:4041/jobs/"  # not ours
    assert rewrite("https://spark.apache.org/docs/") == "https://spark.apache.org/docs/"


def test_strip_query_token():
    assert paths.strip_query_token("token=abc") == ""
    assert paths.strip_query_token("a=1&token=abc&b=2") == "a=1&b=2"
    assert paths.strip_query_token("tokens=1&id=2") == "tokens=1&id=2"


def test_records(tmp_path):
    assert records.read_record(tmp_path, 4040) is None
    write_record(tmp_path, user="a", port=4040, pid=os.getpid(), livy_url="http://l", session_id=1, driver_host="localhost")
    record = records.read_record(tmp_path, 4040)
    assert record.ready and record.user == "a" and record.driver_host == "localhost"
    write_record(tmp_path, user="a", port=4041, pid=os.getpid(), livy_url="http://l")
    assert not records.read_record(tmp_path, 4041).ready
    uuid = "0f8fad5b-d9cb-469f-a165-70867728950e"  # Lighter's session ids are strings
    write_record(tmp_path, user="a", port=4043, pid=os.getpid(), livy_url="http://l", session_id=uuid, driver_host="h")
    assert records.read_record(tmp_path, 4043).session_id == uuid and records.read_record(tmp_path, 4043).ready
    (tmp_path / "4044.json").write_text('{"user": "a", "port": 4044, "pid": 1, "session_id": true}')
    with pytest.raises(records.RecordError):
        records.read_record(tmp_path, 4044)
    (tmp_path / "4042.json").write_text('{"user": "a", "port": "4042", "pid": 1}')
    with pytest.raises(records.RecordError):
        records.read_record(tmp_path, 4042)
    assert records.process_is_alive(os.getpid()) and not records.process_is_alive(dead_pid())
    env = {"HOME": "/h"}
    assert str(records.default_runtime_dir(env)) == "/h/.local/share/jupyter/runtime/livykernel-spark-ui"
    assert str(records.default_runtime_dir({**env, "JUPYTER_DATA_DIR": "/d"})) == "/d/runtime/livykernel-spark-ui"
    assert str(records.default_runtime_dir({**env, "JUPYTER_RUNTIME_DIR": "/r", "JUPYTER_DATA_DIR": "/d"})) == "/r/livykernel-spark-ui"
    assert str(records.default_runtime_dir({**env, "LIVY_KERNEL_RUNTIME_DIR": "/k", "JUPYTER_RUNTIME_DIR": "/r"})) == "/k"
