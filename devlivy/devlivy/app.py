"""Assembles the aiohttp application and ties driver cleanup to its life."""

import logging

from aiohttp import web

from .config import ServerConfig
from .middlewares import accept_version, csrf_check, heartbeat, livy_errors
from .routes_sessions import routes as session_routes
from .routes_statements import routes as statement_routes
from .session_manager import SessionManager

log = logging.getLogger(__name__)


def build_app(config: ServerConfig) -> web.Application:
    if config.dialect == "lighter":
        from .lighter import build_lighter_app

        return build_lighter_app(config)
    app = web.Application(
        middlewares=[livy_errors, csrf_check(config.csrf_protection), accept_version, heartbeat],
        client_max_size=64 * 1024 * 1024,
    )
    manager = SessionManager(config)
    app["manager"] = manager
    app["config"] = config
    app.add_routes(session_routes)
    app.add_routes(statement_routes)

    async def start_checks(app: web.Application) -> None:
        manager.start_background_checks()

    async def stop_sessions(app: web.Application) -> None:
        log.info("stopping %d session(s)", len(manager.sessions))
        await manager.shutdown()

    app.on_startup.append(start_checks)
    # on_shutdown runs on SIGINT/SIGTERM (aiohttp's run_app handles both).
    app.on_shutdown.append(stop_sessions)
    return app
