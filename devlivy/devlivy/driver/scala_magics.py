"""Livy's Scala magics, %json and %table (AbstractSparkInterpreter.executeMagic).

The value goes through json4s on the JVM, as Livy's Extraction.decompose does
(so Scala lists, maps, case classes and tuples get json4s' shapes); an RDD is
cut to its first 10 elements. Table column types follow Livy's Scala
convertTableType: integers are BIGINT_TYPE (not Python's INT_TYPE).

One deliberate difference: Livy 0.8's Scala 2.12 valueOfTerm ignores the name
and returns the previous line's result; here the named value is looked up.
"""

from .errors import error_output, internal_error_output
from .magics import TABLE_MIME

RDD_PREVIEW_ROWS = 10


class _TypesDoNotMatch(Exception):
    pass


def run_scala_magic(execution_count: int, magic: str, name: str, interpreter) -> dict:
    """Returns a statement output (ok or error) for one magic line."""
    if magic not in ("json", "table"):
        return error_output(execution_count, "UnknownMagic", f"Unknown magic command {magic}", [])
    value = interpreter.value_of_term(name)
    if value is None:
        return error_output(execution_count, "NameError", f"Value {name} does not exist", [])
    try:
        decoded = interpreter.json_value(value, rdd_rows=RDD_PREVIEW_ROWS)
    except Exception as exc:
        if magic == "json":
            return error_output(execution_count, "ValueError", "Failed to convert value into a JSON value", [])
        # Livy's %table has no handler here; Session.executeCode's catch-all answers.
        return internal_error_output(execution_count, exc)
    if magic == "json":
        return _ok(execution_count, {"application/json": decoded})
    try:
        return _ok(execution_count, {TABLE_MIME: _table(decoded)})
    except _TypesDoNotMatch:
        return error_output(execution_count, "TypeError", "table rows have different types", [])


def _ok(execution_count: int, data: dict) -> dict:
    return {"status": "ok", "execution_count": execution_count, "data": data}


def _table(value) -> dict:
    rows = value if isinstance(value, list) else [value]
    headers: dict[str, dict] = {}
    data = []
    for row in rows:
        if isinstance(row, list):
            columns = [(str(index), cell) for index, cell in enumerate(row)]
        elif isinstance(row, dict):
            columns = sorted(row.items())
        else:
            columns = [("0", row)]
        for key, cell in columns:
            type_name = _table_type(cell)
            header = headers.setdefault(key, {"type": type_name, "name": key})
            if header["type"] != type_name:
                raise _TypesDoNotMatch
        data.append([cell for _, cell in columns])
    return {"headers": [headers[key] for key in sorted(headers)], "data": data}


def _table_type(value) -> str:
    if value is None:
        return "NULL_TYPE"
    if isinstance(value, bool):  # before int: bool is an int in Python
        return "BOOLEAN_TYPE"
    if isinstance(value, str):
        return "STRING_TYPE"
    if isinstance(value, int):
        return "BIGINT_TYPE"
    if isinstance(value, float):
        return "DOUBLE_TYPE"
    if isinstance(value, list):
        _same_type(value)
        return "ARRAY_TYPE"
    _same_type(value.values())
    return "MAP_TYPE"


def _same_type(values) -> None:
    types = {_table_type(v) for v in values}
    if len(types) > 1:
        raise _TypesDoNotMatch
