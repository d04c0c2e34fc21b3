"""Runs `spark` (Scala) statements the way Livy's AbstractSparkInterpreter does,
and owns the session's one Scala interpreter.

Livy's execute: the code is trimmed and split into lines, and each line is
interpreted on its own; a line the compiler calls incomplete is joined with
the next one and retried. So `println` output and REPL echoes come out in
line order, a failing line ends the statement (the output of earlier lines is
dropped, their definitions stay), and the text/plain of successful lines is
concatenated as the REPL printed it (echoes keep their trailing newline).
A magic line (`%json x`, `%table x`) replaces the result so far.

One interpreter per session, never restarted: REPL classes are named
$line<N> and executors cache them by name, so a second interpreter on the same
SparkContext would silently run the first one's code. IMain is not
thread-safe; one lock serializes statements, completion and start-up.
"""

import re
import sys
import threading
import time

from .errors import INTERPRETER_ERROR, error_output, first_line, internal_error_output, scala_error_output
from .scala_interpreter import ScalaInterpreter
from .scala_magics import run_scala_magic

# AbstractSparkInterpreter.MAGIC_REGEX, matched against a whole line.
_MAGIC = re.compile(r"%(\w+)\W*(.*)")
TEXT = "text/plain"


class ScalaRunner:
    def __init__(self, spark):
        self._spark = spark
        self._lock = threading.Lock()
        self._interpreter: ScalaInterpreter | None = None
        self._start_failure: str | None = None

    # ----- start-up ----------------------------------------------------------

    def start(self) -> None:
        with self._lock:
            self._started()

    def start_in_background(self) -> None:
        threading.Thread(target=self.start, name="scala-start", daemon=True).start()

    def _started(self) -> ScalaInterpreter | None:
        """The interpreter, started now if need be; None if it cannot start.
        Call with the lock held. A failed start is not retried: it costs
        seconds and fails the same way again."""
        if self._interpreter is None and self._start_failure is None:
            started = time.monotonic()
            try:
                self._interpreter = ScalaInterpreter(self._spark)
            except Exception as exc:
                self._start_failure = first_line(exc)
                _log(f"the Scala interpreter failed to start: {self._start_failure}")
            else:
                _log(f"Scala interpreter started in {time.monotonic() - started:.1f} s")
        return self._interpreter

    def close(self) -> None:
        """Closes the interpreter unless it is busy (the process is ending anyway)."""
        if self._lock.acquire(blocking=False):
            try:
                if self._interpreter is not None:
                    self._interpreter.close()
            finally:
                self._lock.release()

    # ----- statements --------------------------------------------------------

    def run(self, execution_count: int, code: str) -> dict:
        with self._lock:
            interpreter = self._started()
            if interpreter is None:
                return error_output(execution_count, INTERPRETER_ERROR,
                                    f"Fail to start interpreter: {self._start_failure}", [])
            try:
                return _Execution(interpreter, execution_count).run(code)
            except Exception as exc:
                # Livy's Session.executeCode catch-all, for failures of the interpreter itself.
                return internal_error_output(execution_count, exc)

    # ----- completion --------------------------------------------------------

    def complete(self, code: str, cursor: int, wait_s: float) -> list[str]:
        """Candidates from the interpreter's completer. Waits at most wait_s
        for a running statement (Livy completes concurrently with it, which
        IMain does not support); answers [] if the interpreter stays busy or
        is still starting, and starts it if nothing has yet."""
        if not self._lock.acquire(timeout=wait_s):
            return []
        try:
            if self._interpreter is None:
                if self._start_failure is None:
                    self.start_in_background()  # takes the lock once we release it
                return []
            return self._interpreter.complete(code, cursor)
        finally:
            self._lock.release()


def _log(message: str) -> None:
    # sys.__stderr__: a running pyspark statement redirects sys.stderr into its output.
    print(f"devlivy driver: {message}", file=sys.__stderr__, flush=True)


class _Execution:
    """One statement, executed line by line (AbstractSparkInterpreter.executeLines)."""

    def __init__(self, interpreter: ScalaInterpreter, execution_count: int):
        self.interpreter = interpreter
        self.count = execution_count

    def run(self, code: str) -> dict:
        lines = code.replace("\r\n", "\n").strip().split("\n")
        result = self._ok({TEXT: ""})
        while lines:
            head = lines.pop(0)
            line_result = self._line(head)
            if line_result is _INCOMPLETE:
                if lines:
                    lines[0] = head + "\n" + lines[0]
                    continue
                # Livy tells unfinished code ("sc.") from a trailing comment
                # by retrying it inside braces: only real code still fails.
                retry = self._line("{\n" + head + "\n}")
                if retry is _INCOMPLETE or retry["status"] == "error":
                    return error_output(self.count, "Error", "incomplete statement", [])
                return result
            if line_result["status"] == "error":
                return line_result
            result = _merge(result, line_result)
        return result

    def _line(self, code: str):
        magic = _MAGIC.fullmatch(code)
        if magic:
            outcome = run_scala_magic(self.count, magic.group(1), magic.group(2), self.interpreter)
        else:
            status, output = self.interpreter.interpret(code)
            if status == "Incomplete":
                outcome = _INCOMPLETE
            elif status == "Success":
                outcome = self._ok({TEXT: output})
            elif not output.strip():
                # Scala 2.13's IMain answers Error, silently, for input with no
                # code (blank or comments only); 2.12's, which Livy runs, Success.
                outcome = self._ok({TEXT: ""})
            else:
                outcome = scala_error_output(self.count, output)
        return outcome

    def _ok(self, data: dict) -> dict:
        return {"status": "ok", "execution_count": self.count, "data": data}


_INCOMPLETE = object()


def _merge(previous: dict, current: dict) -> dict:
    """Livy merges only text/plain; a magic's output replaces what came before."""
    before, now = previous["data"], current["data"]
    if TEXT not in before or TEXT not in now:
        return current
    text = before[TEXT] + now[TEXT]
    return {**current, "data": {TEXT: text}} if text else current
