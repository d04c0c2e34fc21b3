"""Runs a pyspark statement the way Livy's Python shell does.

Top-level statements run one by one; the last one, if it is an expression,
runs in "single" mode so sys.displayhook prints its repr (that is where
"2" for ``1+1`` comes from). stdout and stderr are captured together and
become text/plain, right-trimmed. Magic lines (``%table x``) interleave with
code and add their own MIME types.
"""

import ast
import contextlib
import io
import sys
import warnings

from . import magics
from .errors import python_error_output


class PythonRunner:
    def __init__(self, namespace: dict):
        self.namespace = namespace
        # Deliberate difference from Livy: Python warnings (PySpark 4 warns on
        # DataFrame.toJSON, for one) go to the session log, not into the
        # statement's text/plain, where they would break clients that parse
        # the output line by line, such as sparkmagic's %%sql.
        warnings.showwarning = _warning_to_log

    def run(self, execution_count: int, code: str) -> dict:
        captured = io.StringIO()
        data: dict = {}
        try:
            with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
                for is_magic, chunk in _chunks(code):
                    if is_magic:
                        data.update(magics.run_magic(chunk, self.namespace))
                    else:
                        self._exec_block(chunk)
        except BaseException as exc:  # user code may raise anything, even SystemExit
            return python_error_output(execution_count, exc)
        text = captured.getvalue().rstrip()
        if text or not data:
            data = {"text/plain": text, **data}
        return {"status": "ok", "execution_count": execution_count, "data": data}

    def _exec_block(self, source: str) -> None:
        tree = ast.parse(source, "<stdin>", "exec")
        if not tree.body:
            return
        *body, last = tree.body
        if body:
            module = ast.Module(body=body, type_ignores=[])
            exec(compile(module, "<stdin>", "exec"), self.namespace)
        if isinstance(last, ast.Expr):
            exec(compile(ast.Interactive(body=[last]), "<stdin>", "single"), self.namespace)
        else:
            exec(compile(ast.Module(body=[last], type_ignores=[]), "<stdin>", "exec"), self.namespace)


def _warning_to_log(message, category, filename, lineno, file=None, line=None):
    sys.__stderr__.write(warnings.formatwarning(message, category, filename, lineno, line))
    sys.__stderr__.flush()


def _chunks(code: str):
    """Splits code into (is_magic, text) pieces, keeping their order."""
    block: list[str] = []
    for line in code.splitlines():
        if line.startswith("%"):
            if block:
                yield False, "\n".join(block)
                block = []
            yield True, line
        else:
            block.append(line)
    if block:
        yield False, "\n".join(block)
