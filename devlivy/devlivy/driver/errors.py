"""Livy-shaped error outputs: {status: error, ename, evalue, traceback}.

Livy's Python shell reports the exception class name, str(exc), and the
formatted traceback lines (each ending in a newline) without the frames of
the shell itself; user frames appear as File "<stdin>".
"""

import re
import traceback
from types import TracebackType

# Frames from these files are the driver's own plumbing, not the user's code.
_OWN_FILES = ("devlivy/driver/",)

INTERPRETER_ERROR = "InterpreterError"


def error_output(execution_count: int, ename: str, evalue: str, tb: list[str]) -> dict:
    return {
        "status": "error",
        "execution_count": execution_count,
        "ename": ename,
        "evalue": evalue,
        "traceback": tb,
    }


def python_error_output(execution_count: int, exc: BaseException) -> dict:
    return error_output(execution_count, type(exc).__name__, _without_jvm_stack(str(exc)), _python_traceback(exc))


def _without_jvm_stack(text: str) -> str:
    """py4j appends the whole Java stack to the message; the message and the
    Java exception line are what a reader needs (Python frames follow in the
    traceback)."""
    cut = text.find("\n\tat ")
    return text if cut < 0 else text[:cut]


def _python_traceback(exc: BaseException) -> list[str]:
    if isinstance(exc, SyntaxError):
        # Livy gives syntax errors a short traceback: just the caret display.
        return traceback.format_exception_only(type(exc), exc)
    frames = [f for f in traceback.extract_tb(_user_tb(exc.__traceback__))]
    lines = ["Traceback (most recent call last):\n"]
    lines += traceback.format_list(frames)
    lines += [_without_jvm_stack(line.rstrip("\n")) + "\n" for line in traceback.format_exception_only(type(exc), exc)]
    return lines


def _user_tb(tb: TracebackType | None) -> TracebackType | None:
    """Skips leading frames that belong to the driver (the exec call)."""
    while tb is not None and any(part in tb.tb_frame.f_code.co_filename for part in _OWN_FILES):
        tb = tb.tb_next
    return tb


def jvm_error_output(execution_count: int, exc: BaseException) -> dict:
    """SQL errors as Livy's SQL interpreter shows them: ename "Error", the
    exception message, and the JVM stack frames as the traceback.

    PySpark keeps the JVM message in ``_desc`` and Utils.exceptionString in
    ``_stackTrace``; str(exc) would append the whole stack to the message.
    """
    message = getattr(exc, "_desc", None) or str(exc)
    stack = getattr(exc, "_stackTrace", None)
    if isinstance(stack, str) and stack:
        frames = [line.strip() for line in stack.splitlines() if line.startswith("\tat ")]
        tb = [frame[len("at "):] + "\n" for frame in frames]
    else:
        tb = _python_traceback(exc)
    return error_output(execution_count, "Error", str(message), tb)


# A compiler error line of the Scala 2.13 REPL: "       error: not found: value x",
# or "On line 2: error: ..." when the input has several lines.
_SCALA_ERROR_LINE = re.compile(r"^\s*(On line \d+: )?error: ")


def scala_error_output(execution_count: int, repl_output: str) -> dict:
    """What Livy's AbstractSparkInterpreter.parseError makes of the REPL's
    output: ename "Error", evalue the first line (trimmed), traceback the
    other lines, each keeping its newline.

    Scala 2.12, which Livy runs, prints a compile error's message first and
    the source line with its caret after it. 2.13 prints the caret display
    first, so its first line would be a bare "^"; the message line (the
    first "error:" line) is the evalue here and every other line stays in the
    traceback. A runtime exception's first line is its toString in both.
    """
    lines = repl_output.splitlines(keepends=True)
    first = next((i for i, line in enumerate(lines) if _SCALA_ERROR_LINE.match(line)), 0)
    evalue = lines[first].strip() if lines else "unknown error"
    return error_output(execution_count, "Error", evalue, lines[:first] + lines[first + 1:])


def internal_error_output(execution_count: int, exc: BaseException) -> dict:
    """Livy's Session.executeCode catch-all, for failures of the interpreter
    itself rather than of the user's code: "Internal Error: <class>"."""
    java = getattr(exc, "java_exception", None)
    ename = _java_class(java) if java is not None else type(exc).__name__
    return error_output(execution_count, f"Internal Error: {ename}", first_line(exc), [])


def first_line(exc: BaseException) -> str:
    """A one-line reason; for JVM failures the Java exception, not py4j's
    generic "An error occurred while calling ..." preamble."""
    java = getattr(exc, "java_exception", None)
    if java is not None:
        try:
            return str(java.toString())
        except Exception:
            pass
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"


def _java_class(java_exception) -> str:
    try:
        return str(java_exception.getClass().getName())
    except Exception:  # the JVM may be gone
        return "java.lang.Throwable"
