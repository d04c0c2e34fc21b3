"""Command line: ``python -m devlivy --port 8998 --master 'local[*]'``."""

import argparse
import atexit
import logging
import math
import sys

from aiohttp import web

from .app import build_app
from .config import ServerConfig

LIGHTER_SESSION_TIMEOUT_S = 90 * 60.0


def parse_args(argv: list[str]) -> ServerConfig:
    defaults = ServerConfig()
    p = argparse.ArgumentParser(prog="python -m devlivy", description="Livy-compatible development server on real Spark.")
    p.add_argument("--host", default=defaults.host, help="bind address (default: loopback only)")
    p.add_argument("--port", type=int, default=defaults.port)
    p.add_argument("--master", default=defaults.spark_master, help="Spark master of every session")
    p.add_argument("--csrf", action="store_true", help="require X-Requested-By on POST/DELETE, as livy.server.csrf-protection.enabled")
    p.add_argument("--session-timeout", type=float, default=None,
                   help="idle timeout in seconds (livy.server.session.timeout; default 3600, with --dialect lighter "
                        "lighter.session.timeout-interval, 5400)")
    p.add_argument("--state-retain", type=float, default=None,
                   help="seconds finished sessions stay listed (default 600; with --dialect lighter, "
                        "lighter.state-retain-interval, unset: forever)")
    p.add_argument("--gc-interval", type=float, default=defaults.gc_interval_s, help="seconds between idle/retention checks")
    p.add_argument("--heartbeat-watchdog-interval", type=float, default=defaults.heartbeat_watchdog_interval_s)
    p.add_argument("--max-creation", type=int, default=defaults.max_creation, help="sessions allowed in `starting` at once")
    p.add_argument("--job-cancel-timeout", type=float, default=defaults.job_cancel_timeout_s)
    p.add_argument("--work-dir", default=None, help="parent of the per-session scratch directories (default: a new temp dir)")
    p.add_argument("--app-info", choices=("livy", "yarn", "driver"), default=defaults.app_info,
                   help="appInfo as real Livy off YARN (null URLs), as on YARN, or the driver's own UI URL")
    p.add_argument("--remote-user-header", default=None,
                   help="trust this header (set by a fronting auth proxy) as the authenticated user")
    p.add_argument("--livy-version", choices=("0.7", "0.8"), default=defaults.livy_version,
                   help="whose request fields to accept: 0.7 refuses ttl as an unknown field")
    p.add_argument("--superusers", default="", help="comma-separated users who may impersonate others (livy.superusers)")
    p.add_argument("--dialect", choices=("livy", "lighter"), default=defaults.dialect,
                   help="REST API to speak: Apache Livy's /sessions, or Exacaster Lighter's /lighter/api/sessions")
    a = p.parse_args(argv)
    session_timeout, state_retain = a.session_timeout, a.state_retain
    if a.dialect == "lighter":
        livy_only = [flag for flag, given in (
            ("--csrf", a.csrf), ("--app-info", a.app_info != defaults.app_info),
            ("--remote-user-header", a.remote_user_header is not None), ("--superusers", bool(a.superusers)),
            ("--livy-version", a.livy_version != defaults.livy_version),
        ) if given]
        if livy_only:
            p.error(f"{', '.join(livy_only)}: Livy options, not available with --dialect lighter")
        # Lighter's application.yml: lighter.session.timeout-interval 90m; no state-retain-interval.
        session_timeout = LIGHTER_SESSION_TIMEOUT_S if session_timeout is None else session_timeout
        state_retain = math.inf if state_retain is None else state_retain
    return ServerConfig(
        host=a.host, port=a.port, spark_master=a.master, csrf_protection=a.csrf,
        session_timeout_s=defaults.session_timeout_s if session_timeout is None else session_timeout,
        state_retain_s=defaults.state_retain_s if state_retain is None else state_retain, gc_interval_s=a.gc_interval,
        heartbeat_watchdog_interval_s=a.heartbeat_watchdog_interval, job_cancel_timeout_s=a.job_cancel_timeout,
        max_creation=a.max_creation, work_dir=a.work_dir, app_info=a.app_info,
        remote_user_header=a.remote_user_header, livy_version=a.livy_version, superusers=tuple(u for u in a.superusers.split(",") if u),
        dialect=a.dialect,
    )


def main(argv: list[str] | None = None) -> None:
    config = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = build_app(config)
    # Belt and braces: whatever way the loop ends, no driver outlives us.
    atexit.register(app["manager"].kill_all_now)
    logging.getLogger("devlivy").info("listening on http://%s:%d, Spark master %s%s", config.host, config.port,
                                      config.spark_master, ", Lighter's API" if config.dialect == "lighter" else "")
    web.run_app(app, host=config.host, port=config.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
