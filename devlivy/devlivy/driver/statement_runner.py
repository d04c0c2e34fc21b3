"""Runs one statement at a time on the driver's main thread.

Each statement runs in its own Spark job group (named after the statement
id) so that a cancel can stop exactly its jobs, and so the progress
reporter can find them. Cancel and progress run on other threads while the
main thread is inside the user's code. Scala code runs on that same thread
too: with py4j's pinned threads the Python main thread has one JVM thread,
which holds the job group set here, so Scala jobs are cancelled and
measured like Python ones.
"""

import json
import threading
import time

from devlivy.kinds import LIGHTER_PYTHON

from .errors import INTERPRETER_ERROR, error_output
from .progress import job_group_progress
from .python_completion import python_completions
from .python_runner import PythonRunner
from .scala_runner import ScalaRunner
from .sql_runner import SqlRunner

PROGRESS_INTERVAL_S = 0.25
CANCEL_TRIGGER_INTERVAL_S = 0.1  # livy.rsc.job-cancel.trigger-interval

# How long a Scala completion waits for a running statement before answering [].
COMPLETION_WAIT_S = 2.0

_UNSUPPORTED_KINDS = {
    "sparkr": "the R interpreter (kind 'sparkr') is not available in this development server",
}


class StatementRunner:
    def __init__(self, spark, channel, num_rows: int, max_output_bytes: int):
        self.spark = spark
        self.max_output_bytes = max_output_bytes
        self.sc = spark.sparkContext
        self.channel = channel
        namespace = {"spark": spark, "sc": self.sc, "__name__": "__main__"}
        try:
            from pyspark.sql import SQLContext

            namespace["sqlContext"] = SQLContext(self.sc, spark)
        except Exception:  # deprecated API; absence is not worth failing for
            pass
        self.python = PythonRunner(namespace)
        self.sql = SqlRunner(spark, num_rows)
        self.scala = ScalaRunner(spark)
        self._lighter = None  # lighter_shell.LighterShell, made on the first statement of a Lighter session
        self._current: int | None = None
        self._last_finished = -1  # statement ids only grow
        self._lock = threading.Lock()

    def run(self, statement_id: int, kind: str, code: str) -> None:
        if kind == LIGHTER_PYTHON:
            self._run_lighter(statement_id, code)
            return
        group = str(statement_id)
        with self._lock:
            self._current = statement_id
        stop_reporting = threading.Event()
        reporter = threading.Thread(
            target=self._report_progress, args=(statement_id, group, stop_reporting), daemon=True
        )
        reporter.start()
        started = time.perf_counter()
        try:
            output = self._execute(statement_id, kind, code, group)
        finally:
            with self._lock:
                self._current = None
                self._last_finished = statement_id
            stop_reporting.set()
        elapsed_ms = (time.perf_counter() - started) * 1000
        size = len(json.dumps(output, default=str))
        if size > self.max_output_bytes:
            # Livy's RPC refuses such a message; say so instead of failing.
            output = error_output(
                statement_id, "Error",
                f"statement output of {size} bytes is larger than livy.rsc.rpc.max.size "
                f"({self.max_output_bytes} bytes); return less data, e.g. with take(n) or limit(n)", [],
            )
        self.channel.send({"event": "done", "id": statement_id, "output": output, "exec_ms": elapsed_ms})

    def _run_lighter(self, statement_id: int, code: str) -> None:
        """A statement of a `--dialect lighter` session: Lighter's shell runs code with no job group,
        progress or output size limit, and answers its own result shape (lighter_shell.py)."""
        from .lighter_shell import LighterShell, fatal_exit

        if self._lighter is None:
            self._lighter = LighterShell(self.spark)
        started = time.perf_counter()
        try:
            output = self._lighter.run(code)
        except BaseException as exc:  # not an Exception: Lighter's shell loop ends, and the driver
            fatal_exit(exc)
        elapsed_ms = (time.perf_counter() - started) * 1000
        self.channel.send({"event": "done", "id": statement_id, "output": output, "exec_ms": elapsed_ms})

    def _execute(self, statement_id: int, kind: str, code: str, group: str) -> dict:
        if kind in _UNSUPPORTED_KINDS:
            # Livy's answer when an interpreter cannot start.
            return error_output(
                statement_id, INTERPRETER_ERROR,
                f"Fail to start interpreter: {_UNSUPPORTED_KINDS[kind]}", [],
            )
        # The group and its description are Livy's (repl Session.setJobGroup): clients find a
        # statement's jobs in the driver's REST API by `jobGroup` == the statement id.
        # interruptOnCancel (not Livy's): cancelling also interrupts running tasks, which makes
        # Spark kill the Python worker of a sleeping UDF.
        self.sc.setJobGroup(group, f"Job group for statement {statement_id}", interruptOnCancel=True)
        try:
            if kind == "sql":
                return self.sql.run(statement_id, code)
            if kind == "spark":
                return self.scala.run(statement_id, code)
            return self.python.run(statement_id, code)
        finally:
            self.sc.setLocalProperty("spark.jobGroup.id", None)
            self.sc.setLocalProperty("spark.job.description", None)

    def complete(self, kind: str, code: str, cursor: int) -> list[str]:
        """Completion candidates; called on its own thread, possibly while a statement runs."""
        if kind == "spark":
            return self.scala.complete(code, cursor, COMPLETION_WAIT_S)
        if kind == "pyspark":
            return python_completions(self.python.namespace, code, cursor)
        return []  # sql and sparkr complete nothing, as in Livy

    def cancel(self, statement_id: int, timeout_s: float) -> None:
        """Cancels the statement's job group repeatedly until its code returns
        (new jobs may start after a cancel), as Livy's Session.cancel does."""
        threading.Thread(target=self._cancel_loop, args=(statement_id, timeout_s), daemon=True).start()

    def _cancel_loop(self, statement_id: int, timeout_s: float) -> None:
        # The cancel may overtake the statement (it was sent but has not
        # started yet), so wait for it to run rather than give up.
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            with self._lock:
                if self._last_finished >= statement_id:
                    return
                running = self._current == statement_id
            if running:
                self.sc.cancelJobGroup(str(statement_id))
            time.sleep(CANCEL_TRIGGER_INTERVAL_S)

    def _report_progress(self, statement_id: int, group: str, stop: threading.Event) -> None:
        last = 0.0
        while not stop.wait(PROGRESS_INTERVAL_S):
            try:
                progress = job_group_progress(self.sc, group)
            except Exception:  # the JVM may be going away; progress is best effort
                return
            if progress != last:
                last = progress
                self.channel.send({"event": "progress", "id": statement_id, "progress": progress})
