"""Strict parsing of request bodies, as Livy's Jackson mapper does it.

An unknown property, a wrong JSON type or malformed JSON is a 400 whose body
is a bare JSON string (Jackson's message); `null` means "not given". Only the
checks Jackson makes live here; Livy's own rules (names, blacklisted conf,
ttl) are in session_request.py.
"""

import json
from dataclasses import dataclass

from .http_errors import bare
from .kinds import BadKind, canonical_kind

_STR, _INT, _STR_LIST, _STR_MAP = "string", "int", "string list", "string map"

_CREATE_CLASS = "org.apache.livy.server.interactive.CreateInteractiveRequest"
_CREATE_FIELDS = {
    "kind": _STR, "proxyUser": _STR, "jars": _STR_LIST, "pyFiles": _STR_LIST,
    "files": _STR_LIST, "archives": _STR_LIST, "driverMemory": _STR, "driverCores": _INT,
    "executorMemory": _STR, "executorCores": _INT, "numExecutors": _INT, "queue": _STR,
    "name": _STR, "conf": _STR_MAP, "heartbeatTimeoutInSecond": _INT, "ttl": _STR,
}
_STATEMENT_CLASS = "org.apache.livy.server.interactive.ExecuteRequest"
_STATEMENT_FIELDS = {"code": _STR, "kind": _STR}
_COMPLETION_CLASS = "org.apache.livy.server.interactive.CompletionRequest"
_COMPLETION_FIELDS = {"code": _STR, "kind": _STR, "cursor": _INT}


@dataclass
class StatementBody:
    code: str
    kind: str | None


@dataclass
class CompletionBody:
    code: str
    kind: str
    cursor: int


def parse_create(raw: bytes, livy_version: str = "0.8") -> dict:
    """Returns the typed fields present in the body (kind canonicalised). Livy 0.7's request
    class has no `ttl` (added in 0.8), so a 0.7 server refuses it as an unknown field."""
    fields = _CREATE_FIELDS if livy_version != "0.7" else {k: v for k, v in _CREATE_FIELDS.items() if k != "ttl"}
    body = _parse(raw, _CREATE_CLASS, fields)
    if body.get("kind") is not None:
        body["kind"] = _kind(body["kind"], _CREATE_CLASS, allow_shared=True)
    return body


def parse_statement(raw: bytes) -> StatementBody:
    body = _parse(raw, _STATEMENT_CLASS, _STATEMENT_FIELDS)
    if body.get("code") is None:
        raise bare(400, "Missing required creator property 'code' (class " + _STATEMENT_CLASS + ")")
    kind = body.get("kind")
    return StatementBody(
        code=body["code"].replace("\r\n", "\n"),
        kind=_kind(kind, _STATEMENT_CLASS, allow_shared=False) if kind is not None else None,
    )


def parse_completion(raw: bytes) -> CompletionBody:
    body = _parse(raw, _COMPLETION_CLASS, _COMPLETION_FIELDS, coerce_int_strings=True)
    for field in ("code", "kind", "cursor"):
        if body.get(field) is None:
            raise bare(400, f"Missing required creator property '{field}' (class {_COMPLETION_CLASS})")
    return CompletionBody(body["code"], _kind(body["kind"], _COMPLETION_CLASS, False), body["cursor"])


def _kind(value: str, cls: str, allow_shared: bool) -> str:
    try:
        return canonical_kind(value, allow_shared)
    except BadKind as exc:
        raise bare(400, str(exc).replace(_CREATE_CLASS, cls)) from None


def _parse(raw: bytes, cls: str, fields: dict, coerce_int_strings: bool = False) -> dict:
    text = raw.decode("utf-8", errors="replace").strip() or "{}"
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise bare(400, f"Unexpected character: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    if not isinstance(body, dict):
        raise bare(400, f"Cannot deserialize instance of `{cls}` out of {_json_type(body)} token")
    known = ", ".join(f'"{name}"' for name in fields)
    parsed = {}
    for name, value in body.items():
        expected = fields.get(name)
        if expected is None:
            raise bare(400, f'Unrecognized field "{name}" (class {cls}), not marked as ignorable '
                            f"({len(fields)} known properties: {known}])")
        if value is None:
            continue
        parsed[name] = _typed(name, value, expected, cls, coerce_int_strings)
    return parsed


def _typed(name: str, value, expected: str, cls: str, coerce_int_strings: bool):
    def mismatch():
        return bare(400, f"Cannot deserialize value of type `{expected}` from {_json_type(value)} "
                         f"(through reference chain: {cls}[\"{name}\"])")

    if expected == _STR:
        if not isinstance(value, str):
            raise mismatch()
        return value
    if expected == _INT:
        if coerce_int_strings and isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise mismatch()
        return value
    if expected == _STR_LIST:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise mismatch()
        return list(value)
    if expected == _STR_MAP:
        # Jackson turns scalar map values into strings; objects and arrays fail.
        if not isinstance(value, dict) or any(isinstance(v, (dict, list)) for v in value.values()):
            raise mismatch()
        return {k: _scalar_text(v) for k, v in value.items() if v is not None}
    raise AssertionError(expected)


def _scalar_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _json_type(value) -> str:
    if isinstance(value, dict):
        return "Object value"
    if isinstance(value, list):
        return "Array value"
    if isinstance(value, str):
        return f'String "{value}"'
    if isinstance(value, bool):
        return "Boolean value"
    if isinstance(value, (int, float)):
        return f"Number value ({value})"
    return "null value"
