"""Command line: ``python -m devlivy --port 8998 --master 'local[*]'``."""

import argparse
import atexit
import logging
import sys

from aiohttp import web

from .app import build_app
from .config import ServerConfig


def parse_args(argv: list[str]) -> ServerConfig:
    defaults = ServerConfig()
    p = argparse.ArgumentParser(prog="python -m devlivy", description="Livy-compatible development server on real Spark.")
    p.add_argument("--host", default=defaults.host, help="bind address (default: loopback only)")
    p.add_argument("--port", type=int, default=defaults.port)
    p.add_argument("--master", default=defaults.spark_master, help="Spark master of every session")
    p.add_argument("--csrf", action="store_true", help="require X-Requested-By on POST/DELETE, as livy.server.csrf-protection.enabled")
    p.add_argument("--session-timeout", type=float, default=defaults.session_timeout_s, help="idle timeout in seconds (livy.server.session.timeout)")
    p.add_argument("--state-retain", type=float, default=defaults.state_retain_s, help="seconds finished sessions stay listed")
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
    a = p.parse_args(argv)
    return ServerConfig(
        host=a.host, port=a.port, spark_master=a.master, csrf_protection=a.csrf,
        session_timeout_s=a.session_timeout, state_retain_s=a.state_retain, gc_interval_s=a.gc_interval,
        heartbeat_watchdog_interval_s=a.heartbeat_watchdog_interval, job_cancel_timeout_s=a.job_cancel_timeout,
        max_creation=a.max_creation, work_dir=a.work_dir, app_info=a.app_info,
        remote_user_header=a.remote_user_header, livy_version=a.livy_version, superusers=tuple(u for u in a.superusers.split(",") if u),
    )


def main(argv: list[str] | None = None) -> None:
    config = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = build_app(config)
    # Belt and braces: whatever way the loop ends, no driver outlives us.
    atexit.register(app["manager"].kill_all_now)
    logging.getLogger("devlivy").info("listening on http://%s:%d, Spark master %s", config.host, config.port, config.spark_master)
    web.run_app(app, host=config.host, port=config.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
