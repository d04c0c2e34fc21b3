"""Livy-shaped error outputs: {status: error, ename, evalue, traceback}.

Livy's Python shell reports the exception class name, str(exc), and the
formatted traceback lines (each ending in a newline) without the frames of
the shell itself; user frames appear as File "<stdin>".
"""

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
