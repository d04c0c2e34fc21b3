"""A validated POST /sessions request: Livy's own rules on top of the typed
body (blacklisted conf keys, session names, ttl, file paths) and the 0.8
view of the creation parameters that every session object echoes."""

import re
from dataclasses import dataclass, field

from .http_errors import msg
from .kinds import SHARED

# spark-blacklist.conf defaults plus the key Livy reserves for itself.
BLACKLISTED_CONF = (
    "spark.master", "spark.submit.deployMode", "spark.yarn.jar", "spark.yarn.jars",
    "spark.yarn.archive", "livy.rsc.server.idle-timeout",
)
_TTL = re.compile(r"^\s*(\d+)\s*(us|ms|s|m|min|h|d)?\s*$")
_TTL_SECONDS = {"us": 1e-6, "ms": 1e-3, None: 1e-3, "s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


@dataclass
class SessionRequest:
    kind: str = SHARED
    proxy_user: str | None = None
    owner: str | None = None            # the authenticated user who asked (Livy's remote user)
    name: str | None = None
    jars: list[str] = field(default_factory=list)
    py_files: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    archives: list[str] = field(default_factory=list)
    driver_memory: str | None = None
    driver_cores: int = 0
    executor_memory: str | None = None
    executor_cores: int = 0
    num_executors: int = 0
    queue: str | None = None
    conf: dict[str, str] = field(default_factory=dict)
    heartbeat_timeout_s: int = 0
    ttl: str | None = None
    ttl_s: float | None = None

    def creation_fields(self) -> dict:
        """The Livy 0.8 session-object fields that echo the request (the real
        ttl, not 0.8's proxyUser slip)."""
        return {
            "ttl": self.ttl, "driverMemory": self.driver_memory, "driverCores": self.driver_cores,
            "executorMemory": self.executor_memory, "executorCores": self.executor_cores,
            "conf": dict(self.conf), "archives": list(self.archives), "files": list(self.files),
            "heartbeatTimeoutInSecond": self.heartbeat_timeout_s, "jars": list(self.jars),
            "numExecutors": self.num_executors, "pyFiles": list(self.py_files), "queue": self.queue,
        }


def build_request(body: dict) -> SessionRequest:
    """Applies Livy's rejections (400 {"msg": "Rejected, Reason: ..."})."""
    request = SessionRequest(
        kind=body.get("kind", SHARED), proxy_user=body.get("proxyUser"), name=body.get("name"),
        jars=body.get("jars", []), py_files=body.get("pyFiles", []), files=body.get("files", []),
        archives=body.get("archives", []), driver_memory=body.get("driverMemory"),
        driver_cores=body.get("driverCores", 0), executor_memory=body.get("executorMemory"),
        executor_cores=body.get("executorCores", 0), num_executors=body.get("numExecutors", 0),
        queue=body.get("queue"), conf=body.get("conf", {}),
        heartbeat_timeout_s=body.get("heartbeatTimeoutInSecond", 0), ttl=body.get("ttl"),
    )
    if request.name is not None and request.name.isdigit():
        raise _rejected(f"Invalid session name: {request.name}, the name must not consist of digits only")
    blacklisted = [key for key in request.conf if key in BLACKLISTED_CONF]
    if blacklisted:
        raise _rejected(f"Blacklisted configuration values in session config: {', '.join(blacklisted)}")
    if request.ttl is not None:
        match = _TTL.match(request.ttl)
        if not match:
            raise _rejected(f"Invalid ttl: {request.ttl}, a time string like 30m or 1h was expected")
        request.ttl_s = int(match.group(1)) * _TTL_SECONDS[match.group(2)]
    for uri in request.jars + request.py_files + request.files + request.archives:
        if ":" not in uri.split("/")[0] and not uri.startswith("/"):
            raise _rejected(f"Local path {uri} must be absolute")
    if request.heartbeat_timeout_s < 0:
        raise _rejected("heartbeatTimeoutInSecond must not be negative")
    return request


def _rejected(reason: str):
    return msg(400, f"Rejected, Reason: {reason}")
