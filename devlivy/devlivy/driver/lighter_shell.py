"""Statements of a `--dialect lighter` session, run as Lighter's Python shell runs them.

Behaviour taken from Lighter's server/src/main/resources/shell_wrapper.py (CommandHandler, setup_output,
main): not from Livy's shell, which python_runner.py follows.

* The namespace holds only ``spark`` (init_globals): no ``sc``, no ``sqlContext``, no ``__name__``.
* Before each statement stdout and stderr become fresh StringIO buffers (setup_output). Only stdout is
  returned, right-stripped, as ``text/plain``; whatever goes to stderr (warnings, the stderr of user
  code) is dropped.
* The code is right-stripped; empty code answers ``{"text/plain": ""}`` without running anything.
  Otherwise it is parsed as a module, every top-level node but the last runs in "exec" mode and the
  last one in "single" mode, whatever it is (_exec_then_eval). So the value of a final expression is
  printed by sys.displayhook into stdout, an expression statement inside a final ``for``/``if`` block
  is printed too, and code made only of comments fails with IndexError (nothing to pop).
* An ``Exception`` answers ``content`` (stdout so far), ``error`` (the exception's type name),
  ``message`` (``str(exc)``) and ``traceback`` (``traceback.format_exception`` lines, this file's own
  frames included, as Lighter's include shell_wrapper.py's), and is logged to the driver's real stdout.
  The server turns that answer into Lighter's statement output (devlivy/lighter/shapes.py).
* Anything else (SystemExit, KeyboardInterrupt) ends Lighter's shell loop and so the driver process:
  `fatal_exit` does that here.

Deliberate difference: Lighter leaves the StringIO buffers in place after a statement; here the
driver's own stdout and stderr come back after each statement, so output of background threads
between statements reaches the session log instead of a buffer nobody reads.
"""

import ast
import io
import logging
import os
import sys
import traceback

# shell_wrapper.py: logging.basicConfig(stream=sys.stdout, level=INFO) before stdout is replaced,
# so its log lines reach the process's real stdout (the session log).
_log = logging.getLogger("session")
_handler = logging.StreamHandler(sys.__stdout__)
_handler.setFormatter(logging.Formatter(logging.BASIC_FORMAT))
_log.addHandler(_handler)
_log.setLevel(logging.INFO)
_log.propagate = False


class LighterShell:
    def __init__(self, spark):
        self.globals = {"spark": spark}

    def run(self, code: str) -> dict:
        """One statement, with its own stdout/stderr buffers (setup_output)."""
        saved = sys.stdout, sys.stderr
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
        try:
            return self.exec({"code": code})
        finally:
            sys.stdout, sys.stderr = saved

    # The methods below are named as CommandHandler's, so a traceback has the frames (`in exec`,
    # `in _exec_then_eval`) that Lighter's has, only with this file's path and line numbers.

    def _error_response(self, error):
        exc_type, exc_value, exc_tb = sys.exc_info()
        return {
            "content": {"text/plain": str(sys.stdout.getvalue()).rstrip()},
            "error": type(error).__name__,
            "message": str(error),
            "traceback": traceback.format_exception(exc_type, exc_value, exc_tb),
        }

    def _exec_then_eval(self, code):
        # The last node runs in "single" mode whatever it is. The lines that can raise read as
        # shell_wrapper.py's, since a traceback quotes them.
        block = ast.parse(code, mode='exec')
        last = ast.Interactive([block.body.pop()])
        exec(compile(block, '<string>', 'exec'), self.globals)
        exec(compile(last, '<string>', 'single'), self.globals)

    def exec(self, request):
        try:
            code = request["code"].rstrip()
            if code:
                self._exec_then_eval(code)
                return {"content": {"text/plain": str(sys.stdout.getvalue()).rstrip()}}
            return {"content": {"text/plain": ""}}
        except Exception as e:
            _log.exception(e)
            return self._error_response(e)


def fatal_exit(exc: BaseException) -> None:
    """shell_wrapper.py main(): a BaseException that is not an Exception leaves the statement loop,
    which logs it and ends the process (exit status 1); the statement never gets an answer."""
    lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
    _log.error(f"Error: {lines}")
    _log.info("Exiting")
    for stream in (sys.__stdout__, sys.__stderr__):
        try:
            stream.flush()
        except Exception:
            pass
    # As the driver's normal exit: os._exit, since interpreter teardown can hang on py4j threads.
    os._exit(1)
