"""Livy's pyspark magics: %json, %table and %matplot.

A magic line starts with "%" at column 0 and names a variable of the
statement namespace, as in Livy's fake_shell.py. The conversions below follow
fake_shell's magic_table: rows may be lists (columns "0", "1", ...), dicts or
Rows (columns sorted by key) or scalars; one column must keep one type.
"""

import base64
import datetime
import decimal
import io
import math

TABLE_MIME = "application/vnd.livy.table.v1+json"


class UnknownMagic(Exception):
    pass


class MagicError(Exception):
    pass


def run_magic(line: str, namespace: dict) -> dict:
    """Returns the MIME data the magic line produces."""
    name, _, arg = line[1:].strip().partition(" ")
    arg = arg.strip()
    handler = _MAGICS.get(name)
    if handler is None:
        raise UnknownMagic(f"unknown magic command '{name}'")
    return handler(_lookup(arg, namespace))


def _lookup(arg: str, namespace: dict):
    # Livy looks the name up in the globals (KeyError when missing); an
    # expression is a harmless extension.
    if arg.isidentifier():
        return namespace[arg]
    return eval(compile(arg, "<stdin>", "eval"), namespace)


def _json(value) -> dict:
    if hasattr(value, "asDict"):
        value = value.asDict(recursive=True)
    return {"application/json": _jsonable(value)}


def _jsonable(value):
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if hasattr(value, "asDict"):
        return _jsonable(value.asDict(recursive=True))
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def _table(value) -> dict:
    if not isinstance(value, (list, tuple)):
        value = [value]
    headers: dict = {}
    data = []
    for row in value:
        if hasattr(row, "asDict"):
            row = row.asDict()
        if not isinstance(row, (list, tuple, dict)):
            row = [row]
        items = enumerate(row) if isinstance(row, (list, tuple)) else sorted(row.items())
        cols = []
        for key, cell in items:
            cell_type, cell = _table_cell(cell)
            header = headers.get(key)
            if header is None:
                headers[key] = {"name": str(key), "type": cell_type}
            elif cell_type != "NULL_TYPE" and header["type"] != cell_type:
                if header["type"] != "NULL_TYPE":
                    raise MagicError("table rows have different types")
                header["type"] = cell_type
            cols.append(cell)
        data.append(cols)
    return {TABLE_MIME: {"headers": [headers[k] for k in sorted(headers)], "data": data}}


def _table_cell(cell):
    # Order matters: bool is an int, datetime is a date.
    if cell is None:
        return "NULL_TYPE", None
    if isinstance(cell, bool):
        return "BOOLEAN_TYPE", cell
    if isinstance(cell, int):
        return "INT_TYPE", cell
    if isinstance(cell, float):
        return "DOUBLE_TYPE", _jsonable(cell)
    if isinstance(cell, str):
        return "STRING_TYPE", cell
    if isinstance(cell, datetime.datetime):
        return "TIMESTAMP_TYPE", str(cell)
    if isinstance(cell, datetime.date):
        return "DATE_TYPE", str(cell)
    if isinstance(cell, decimal.Decimal):
        return "DECIMAL_TYPE", str(cell)
    if isinstance(cell, (list, tuple)):
        return "ARRAY_TYPE", _jsonable(cell)
    if isinstance(cell, dict):
        return "MAP_TYPE", _jsonable(cell)
    raise MagicError(f"value of type {type(cell).__name__} cannot be shown as a table cell")


def _matplot(plt) -> dict:
    figure = plt.gcf() if hasattr(plt, "gcf") else plt
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt_close = getattr(plt, "close", None)
    if plt_close:
        plt_close()
    return {"image/png": base64.b64encode(buffer.getvalue()).decode("ascii")}


_MAGICS = {"json": _json, "table": _table, "matplot": _matplot}
