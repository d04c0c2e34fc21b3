"""The kernel's Spark UI records: `<runtime dir>/<port>.json`, one per live session.

The kernel (Sources/LivyBackend/SparkUI/PortLeaseStore.swift) creates the file when it leases the
port, fills in `session_id` and `driver_host` once the session is up, and removes it when the
session ends. A kernel killed with SIGKILL leaves its file behind, so a record whose `pid` is not
alive on this host counts as ended.
"""
from __future__ import annotations

import dataclasses
import errno
import json
import os
import pathlib


def default_runtime_dir(environ=os.environ) -> pathlib.Path:
    """Where the kernel writes its records (the same rules as PortLeaseStore.defaultDirectory)."""
    explicit = environ.get("LIVY_KERNEL_RUNTIME_DIR")
    if explicit:
        return pathlib.Path(explicit)
    if environ.get("JUPYTER_RUNTIME_DIR"):
        runtime = environ["JUPYTER_RUNTIME_DIR"]
    elif environ.get("JUPYTER_DATA_DIR"):
        runtime = environ["JUPYTER_DATA_DIR"] + "/runtime"
    else:
        runtime = (environ.get("HOME") or "/tmp") + "/.local/share/jupyter/runtime"
    return pathlib.Path(runtime) / "livykernel-spark-ui"


@dataclasses.dataclass(frozen=True)
class SparkUIRecord:
    user: str
    port: int
    pid: int
    livy_url: str | None
    # Livy numbers sessions; Livy-shaped servers such as Lighter name them with UUID strings.
    session_id: int | str | None
    driver_host: str | None

    @property
    def ready(self) -> bool:
        return self.session_id is not None and bool(self.driver_host)


class RecordError(Exception):
    """A record that exists but cannot be used (unreadable, malformed)."""


def read_record(directory: pathlib.Path, port: int) -> SparkUIRecord | None:
    """The record for `port`, or None when there is none. Raises RecordError when it is malformed."""
    path = directory / f"{port}.json"
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise RecordError(f"cannot read {path}: {error.strerror}") from error
    try:
        data = json.loads(raw)
    except ValueError as error:
        # The kernel writes atomically; a half-written file is not ours to guess at.
        raise RecordError(f"{path} is not JSON") from error
    if not isinstance(data, dict):
        raise RecordError(f"{path} is not a JSON object")

    def field(name, kind, required):
        value = data.get(name)
        if value is None:
            if required:
                raise RecordError(f"{path}: `{name}` is missing")
            return None
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
            raise RecordError(f"{path}: `{name}` must be {' or '.join(k.__name__ for k in kinds)}")
        return value

    record = SparkUIRecord(user=field("user", str, True), port=field("port", int, True),
                           pid=field("pid", int, True), livy_url=field("livy_url", str, False),
                           session_id=field("session_id", (int, str), False),
                           driver_host=field("driver_host", str, False))
    if record.port != port:
        raise RecordError(f"{path} is for port {record.port}")
    return record


def process_is_alive(pid: int) -> bool:
    """True when `pid` runs on this host (as the kernel's PortLeaseStore.processIsAlive)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except OSError as error:
        return error.errno == errno.EPERM
    return True
