"""Runs a `sql` statement and shapes the result exactly as Livy's SQL
interpreter: only application/json = {schema, data}.

schema is Spark's StructType JSON; data holds the first livy.rsc.sql.num-rows
rows as arrays in column order. Livy serialises rows with json4s, so dates
are "YYYY-MM-DD", timestamps UTC "YYYY-MM-DDTHH:MM:SSZ" (sub-seconds
dropped) and decimals plain JSON numbers.
"""

import base64
import datetime
import decimal
import json
import math

from .errors import jvm_error_output

DEFAULT_NUM_ROWS = 1000


class SqlRunner:
    def __init__(self, spark, num_rows: int = DEFAULT_NUM_ROWS):
        self.spark = spark
        self.num_rows = num_rows

    def run(self, execution_count: int, code: str) -> dict:
        try:
            frame = self.spark.sql(code)
            rows = frame.take(self.num_rows)
            schema = json.loads(frame.schema.json())
        except Exception as exc:
            return jvm_error_output(execution_count, exc)
        data = [[_json_value(value) for value in row] for row in rows]
        return {
            "status": "ok",
            "execution_count": execution_count,
            "data": {"application/json": {"schema": schema, "data": data}},
        }


def _json_value(value):
    if isinstance(value, float) and not math.isfinite(value):
        # JSON has no NaN/Infinity; Spark's own toJSON writes them as strings.
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, datetime.datetime):
        # PySpark hands TIMESTAMP values over as naive local time of this
        # process (TIMESTAMP_NTZ values look the same and get the same shift).
        if value.tzinfo is None:
            value = value.astimezone()
        return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if hasattr(value, "asDict"):
        return {k: _json_value(v) for k, v in value.asDict().items()}
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    return str(value)
