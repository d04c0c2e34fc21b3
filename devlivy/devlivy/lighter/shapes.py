"""Lighter's JSON: how its Java objects come out of Micronaut's Jackson mapper.

Paths below are under server/src/main/java/com/exacaster/lighter/ in github.com/exacaster/lighter.
Jackson there runs with `serializationInclusion: ALWAYS` and `writeDatesAsTimestamps: false`
(server/src/main/resources/application.yml): null fields are written, and LocalDateTime values are
ISO_LOCAL_DATE_TIME strings without a zone (fraction digits only as needed, up to microseconds).
"""

import re
from datetime import datetime

# application/Utils.java: Spark's own default secret pattern, matched anywhere in a conf key.
_SECRET_KEY = re.compile(r"secret|password|token|access[.]?key", re.IGNORECASE)
REDACTED = "[redacted]"
# log/Log.java: getCreatedAt() (from storage/Entity.java) returns LocalDateTime.MIN, and nothing hides
# it from Jackson, so the log object carries it.
LOCAL_DATE_TIME_MIN = "-999999999-01-01T00:00:00"


def local_date_time(value: datetime | None) -> str | None:
    """A LocalDateTime.now() (the server's local time, no zone) as Jackson writes it."""
    if value is None:
        return None
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += "." + f"{value.microsecond:06d}".rstrip("0")
    return text


def java_string(value) -> str:
    """String.valueOf(value) for what Py4J hands to Java: a Python list arrives as a java.util.List,
    whose toString is "[a, b, c]" (AbstractCollection), a None element is "null", a dict a Map."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(java_string(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{java_string(k)}={java_string(v)}" for k, v in value.items()) + "}"
    return str(value)


def java_split_lines(text: str) -> list[str]:
    """String.split("\\n"): trailing empty strings are dropped, but "" gives [""]."""
    if text == "":
        return [""]
    parts = text.split("\n")
    while parts and parts[-1] == "":
        parts.pop()
    return parts


def redact(conf: dict[str, str]) -> dict[str, str]:
    """Utils.redact, applied to every Application the REST API returns (Application.withRedactedConf);
    the session itself runs with the real values."""
    return {key: REDACTED if _SECRET_KEY.search(key) else value for key, value in conf.items()}


def output_from_shell(result: dict) -> tuple[str, dict]:
    """application/sessions/processors/python/PythonSessionIntegration.handleResponse: the Python shell's
    answer (driver/lighter_shell.py) becomes the statement state and an Output
    (application/sessions/processors/Output.java). `evalue` is the exception's TYPE name, the message is
    dropped, `traceback` is String.valueOf of the Python list, and executionCount is always 1."""
    error = result.get("error")
    error = java_string(error) if error is not None else None
    traceback = result.get("traceback")
    output = {
        "status": "error" if error is not None else "ok",
        "executionCount": 1,
        "data": result.get("content"),
        "evalue": error,
        "traceback": java_string(traceback) if traceback is not None else None,
    }
    return ("error" if error is not None else "available"), output
