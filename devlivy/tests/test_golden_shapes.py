"""devlivy's JSON compared field by field with the examples of docs/livy-rest.md
(tests/golden): same keys, same JSON types, same values where they are
deterministic."""

import pytest

JSON_TYPES = {type(None): "null", bool: "bool", int: "int", float: "float", str: "str", list: "list", dict: "dict"}


def json_type(value) -> str:
    return JSON_TYPES[type(value)]


# Maps whose keys are data (Spark conf), not part of the shape.
FREE_MAPS = ("conf",)


def assert_same_shape(actual: dict, expected: dict, nullable=(), path="") -> None:
    assert set(actual) == set(expected), f"{path}: keys differ: {sorted(set(actual) ^ set(expected))}"
    for key, want in expected.items():
        got = actual[key]
        where = f"{path}.{key}"
        if key in nullable and got is None:
            continue
        if key in FREE_MAPS:
            assert isinstance(got, dict) and all(isinstance(v, str) for v in got.values()), where
        elif isinstance(want, dict) and want:
            assert isinstance(got, dict), where
            assert_same_shape(got, want, nullable, where)
        elif isinstance(want, list) and want:
            assert isinstance(got, list), where
            assert all(json_type(g) == json_type(want[0]) for g in got), where
        else:
            assert json_type(got) == json_type(want) or want is None, f"{where}: {got!r} vs {want!r}"


def test_session_object(server, shared, golden):
    session = server.get(f"/sessions/{shared}").json()
    # Fields a Livy on YARN fills but a local driver cannot (or that were not requested).
    assert_same_shape(session, golden("session.json"), nullable=(
        "name", "owner", "proxyUser", "ttl", "driverMemory", "driverLogUrl", "sparkUiUrl"))
    assert session["kind"] == "shared" and session["state"] in ("idle", "busy")
    assert session["conf"] == {} and session["jars"] == [] and session["queue"] is None
    assert session["driverCores"] == 0 and session["heartbeatTimeoutInSecond"] == 0


def test_session_object_echoes_creation_fields(server, golden):
    body = {"kind": "pyspark", "name": "echo-fields", "proxyUser": "alice", "driverMemory": "600m",
            "executorMemory": "512m", "driverCores": 1, "numExecutors": 1, "queue": "q1",
            "conf": {"spark.sql.shuffle.partitions": "8"}, "heartbeatTimeoutInSecond": 60, "ttl": "2h"}
    created = server.create_session(body)
    try:
        assert_same_shape(created, golden("session.json"),
                          nullable=("appId", "driverLogUrl", "sparkUiUrl", "executorMemory", "queue"))
        for key in ("driverMemory", "executorMemory", "driverCores", "numExecutors", "queue", "conf",
                    "heartbeatTimeoutInSecond", "name", "proxyUser", "ttl"):
            assert created[key] == body[key], key
        assert created["owner"] == "alice"
        assert created["kind"] == "pyspark" and created["state"] == "starting"
    finally:
        assert server.delete(f"/sessions/{created['id']}").status_code == 200


def test_statement_object(server, shared, golden):
    statement = server.run(shared, "1 + 1")
    expected = golden("statement.json")
    assert_same_shape(statement, expected)
    assert statement["code"] == expected["code"] and statement["state"] == expected["state"]
    assert statement["output"] == {**expected["output"], "execution_count": statement["id"]}
    assert statement["progress"] == 1.0


def test_sql_result(server, shared, golden):
    server.run_ok(shared, """
from pyspark.sql.types import StructType, StructField, StringType, IntegerType, DateType
import datetime
people_schema = StructType([StructField("name", StringType(), True),
                            StructField("age", IntegerType(), False),
                            StructField("day", DateType(), True)])
spark.createDataFrame([("jerry", 20, datetime.date(2024, 1, 31)), ("michael", 21, None)],
                      people_schema).createOrReplaceTempView("people")
""")
    statement = server.run(shared, "SELECT * FROM people", kind="sql")
    expected = golden("sql_output.json")
    assert statement["output"] == {**expected, "execution_count": statement["id"]}


@pytest.mark.parametrize("code", ["abcde"])
def test_error_output(server, shared, golden, code):
    output = server.run(shared, code)["output"]
    expected = golden("error_output.json")
    assert_same_shape(output, expected)
    assert output == {**expected, "execution_count": output["execution_count"]}
