"""Server-wide settings: the livy.conf keys a client can observe, plus where
drivers run. Defaults are Livy's; tests shorten the intervals."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 8998
    spark_master: str = "local[*]"
    csrf_protection: bool = False              # livy.server.csrf-protection.enabled
    session_timeout_s: float = 3600.0          # livy.server.session.timeout
    state_retain_s: float = 600.0              # livy.server.session.state-retain.sec
    gc_interval_s: float = 60.0                # Livy's session GC period
    heartbeat_watchdog_interval_s: float = 60.0  # livy.server.heartbeat-watchdog.interval
    max_creation: int = 100                    # livy.server.session.max-creation
    retained_statements: int = 100             # livy.rsc.retained-statements
    cache_log_size: int = 200                  # livy.cache-log.size
    job_cancel_timeout_s: float = 30.0         # livy.rsc.job-cancel.timeout
    stop_grace_s: float = 15.0                 # how long a driver may take to stop before SIGKILL
    work_dir: str | None = None                # parent of the per-session scratch directories
    # What appInfo says. "livy": as real Livy off YARN (both URLs null); "yarn": as on YARN (the
    # ResourceManager's proxy, not the driver); "driver": the driver's own UI URL (a dev-server
    # extra; no real Livy fills it).
    app_info: str = "livy"
    # The header a fronting authentication proxy (httpd, Knox) puts the authenticated user in; in
    # real Livy its own SPNEGO/Basic filter sets that "remote user". None: requests are anonymous.
    remote_user_header: str | None = None
    superusers: tuple[str, ...] = ()           # livy.superusers: may impersonate anyone
    livy_version: str = "0.8"                  # "0.7": the request fields of Livy 0.7 (no ttl)
    # Whose REST API the server speaks: "livy" (Apache Livy, the default) or "lighter" (Exacaster
    # Lighter's /lighter/api/sessions, see devlivy/lighter/). The drivers are the same.
    dialect: str = "livy"
