"""Request bodies as Lighter binds them: Micronaut + Jackson with unknown properties ignored.

POST/PUT /sessions bind rest/SessionParams.java (application/SubmitParams.java plus `permanent`);
POST .../statements binds application/sessions/Statement.java, of which only `code` is used
(SessionService.createStatement -> JdbcStatementStorage.create), so a `kind` in the body means nothing.
Jackson's default coercions apply: a number or boolean where a string is expected becomes its text
(`"conf": {"spark.eventLog.enabled": true}`, as in Lighter's docs/rest.md), a numeric string where an
integer is expected is parsed. Rejections are 400s; their wording is approximated (errors.py).
"""

import json

from .errors import bad_request

_STRINGS = ("name", "file", "master", "mainClass", "executorMemory", "driverMemory")
_INTEGERS = ("numExecutors", "executorCores", "driverCores")
_LISTS = ("args", "pyFiles", "files", "jars", "archives")
# rest/SessionParams.java FORBIDDEN_CONF_KEYS, checked by @AssertTrue isConfValid().
FORBIDDEN_CONF_KEYS = ("spark.redaction.regex",)


def parse_session_params(raw: bytes) -> dict:
    """The SessionParams fields of the body (absent and null alike are None), with SubmitParams'
    constructor defaults for the lists and the conf."""
    body = _json_object(raw, "sessionParams")
    params: dict = {"permanent": _boolean(body.get("permanent"), "permanent")}
    for key in _STRINGS:
        params[key] = _string(body.get(key), key)
    for key in _INTEGERS:
        params[key] = _integer(body.get(key), key)
    for key in _LISTS:
        value = body.get(key)
        if value is not None and not isinstance(value, list):
            raise _conversion(key, "a list of strings")
        params[key] = [_string(item, key) for item in value or []]
        if None in params[key]:
            raise _conversion(key, "a list of strings")
    conf = body.get("conf")
    if conf is not None and not isinstance(conf, dict):
        raise _conversion("conf", "a map of strings")
    params["conf"] = {key: _string(value, "conf") for key, value in (conf or {}).items()}
    if None in params["conf"].values():
        raise _conversion("conf", "a map of strings")
    if any(key in params["conf"] for key in FORBIDDEN_CONF_KEYS):
        raise bad_request("sessionParams.confValid: must be true")
    return params


def parse_statement_code(raw: bytes) -> str:
    body = _json_object(raw, "statement")
    code = body.get("code")
    if code is None:
        raise bad_request("statement.code: must not be null")  # @NotNull getCode()
    if isinstance(code, (dict, list)):
        raise _conversion("code", "a string", argument="statement")
    return _string(code, "code")


def _json_object(raw: bytes, argument: str) -> dict:
    if not raw.strip():
        raise bad_request(f"Required Body [{argument}] not specified")
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise bad_request(f"Invalid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise _conversion(argument, "a JSON object", argument=argument)
    return body


def _string(value, key: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    raise _conversion(key, "a string")


def _integer(value, key: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise _conversion(key, "an integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)  # DeserializationFeature.ACCEPT_FLOAT_AS_INT
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise _conversion(key, "an integer")


def _boolean(value, key: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    raise _conversion(key, "a boolean")


def _conversion(key: str, expected: str, argument: str = "sessionParams"):
    return bad_request(f"Failed to convert argument [{argument}] for value [null] due to: "
                       f"`{key}` must be {expected}")
