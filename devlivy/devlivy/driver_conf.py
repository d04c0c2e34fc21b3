"""The Spark configuration a session's driver starts with.

Typed request fields map to their Spark keys as Livy maps them; `livy.*` keys
are settings for the driver program, not Spark. Everything the driver writes
(warehouse, Derby, temp files; shuffle files through SPARK_LOCAL_DIRS, see
driver_process.py) goes into the session's scratch directory, which the server deletes when the session ends.
"""

import os

from .session_request import SessionRequest

DEFAULT_SQL_NUM_ROWS = 1000


def spark_conf(request: SessionRequest, scratch: str) -> dict[str, str]:
    conf: dict[str, str] = {
        "spark.sql.warehouse.dir": os.path.join(scratch, "warehouse"),
        "spark.sql.catalogImplementation": "in-memory",  # livy.repl.enable-hive-context=false
        # A taken spark.ui.port must fail the start, not move the UI silently.
        "spark.port.maxRetries": "0",
        # With no port requested we let the OS pick one, so sessions never
        # collide; appInfo.sparkUiUrl reports the port really bound.
        "spark.ui.port": "0",
        # Every session can get Scala statements (a pyspark session through
        # kind "spark"), and the Scala REPL needs these when the SparkContext
        # starts: executors load REPL-compiled classes from this directory
        # (served by the driver), else every closure fails in tasks. Inside the
        # scratch dir, so it goes when the session ends.
        "spark.repl.class.outputDir": os.path.join(scratch, "repl-classes"),
        "spark.sql.artifact.isolation.enabled": "false",  # what spark-shell sets
        # Else the console progress bar lands in Scala statements' output.
        "spark.ui.showConsoleProgress": "false",
    }
    typed = {
        "spark.driver.memory": request.driver_memory,
        "spark.executor.memory": request.executor_memory,
        "spark.driver.cores": request.driver_cores or None,
        "spark.executor.cores": request.executor_cores or None,
        "spark.executor.instances": request.num_executors or None,
        "spark.yarn.queue": request.queue,
        "spark.jars": ",".join(request.jars) or None,
        "spark.submit.pyFiles": ",".join(request.py_files) or None,
        "spark.files": ",".join(request.files) or None,
        "spark.archives": ",".join(request.archives) or None,
    }
    conf.update({key: str(value) for key, value in typed.items() if value is not None})
    conf.update({key: value for key, value in request.conf.items() if not key.startswith("livy.")})
    # Derby (only used with Hive support) and the JVM's temp files: keep them
    # out of the working directory, after any options the user gave.
    java_options = f"-Dderby.system.home={os.path.join(scratch, 'derby')} -Djava.io.tmpdir={os.path.join(scratch, 'tmp')}"
    user_options = conf.get("spark.driver.extraJavaOptions")
    conf["spark.driver.extraJavaOptions"] = f"{user_options} {java_options}" if user_options else java_options
    return conf


def sql_num_rows(request: SessionRequest) -> int:
    value = request.conf.get("livy.rsc.sql.num-rows")
    try:
        return int(value) if value is not None else DEFAULT_SQL_NUM_ROWS
    except ValueError:
        return DEFAULT_SQL_NUM_ROWS


DEFAULT_RPC_MAX_BYTES = 50 * 1024 * 1024
_SIZE_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "m": 1024 ** 2, "mb": 1024 ** 2, "g": 1024 ** 3, "gb": 1024 ** 3}


def rpc_max_bytes(request: SessionRequest) -> int:
    """livy.rsc.rpc.max.size: the largest statement output the driver sends."""
    value = request.conf.get("livy.rsc.rpc.max.size", "").strip().lower()
    digits = value.rstrip("kmgb")
    unit = value[len(digits):]
    if digits.isdigit() and unit in _SIZE_UNITS:
        return int(digits) * _SIZE_UNITS[unit]
    return DEFAULT_RPC_MAX_BYTES


def app_name(request: SessionRequest, session_id: int) -> str:
    return request.conf.get("spark.app.name") or request.name or f"livy-session-{session_id}"
