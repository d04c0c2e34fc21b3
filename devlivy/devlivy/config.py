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
