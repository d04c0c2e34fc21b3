"""`--dialect lighter`: devlivy speaking Exacaster Lighter's session API instead of Apache Livy's.

Lighter (github.com/exacaster/lighter) is a Livy-shaped server with its own routes and shapes:
sessions under /lighter/api/sessions with UUID ids, an `Application` object (type, lower-case state,
appInfo a string, submitParams), statements with UUID ids whose output has camelCase
`executionCount`, the exception type as `evalue` and the traceback as one string, and a Python-only
shell (server/src/main/resources/shell_wrapper.py). The Spark drivers are devlivy's own
(session.py, driver/); this package only renders Lighter's API on top of them:

| module | Lighter source it follows |
| --- | --- |
| routes.py | rest/SessionController.java, rest/magic/* |
| sessions.py | application/Application.java, application/sessions/{SessionService,SessionHandler,SessionUtils,Statement}.java, processors/python/PythonSessionIntegration.java, backend/local/* |
| shapes.py | processors/Output.java, application/Utils.java (redaction), log/Log.java, Jackson settings in application.yml |
| bodies.py | rest/SessionParams.java, application/SubmitParams.java |
| errors.py | rest/exceptions/* |
| ../driver/lighter_shell.py | resources/shell_wrapper.py |

(Java paths under server/src/main/java/com/exacaster/lighter/.)
"""

import dataclasses
import logging

from aiohttp import web

from ..config import ServerConfig
from ..session_manager import SessionManager
from .errors import lighter_errors
from .routes import routes
from .sessions import LOG_LINES, LighterSessions

log = logging.getLogger(__name__)


def build_lighter_app(config: ServerConfig) -> web.Application:
    config = dataclasses.replace(config, cache_log_size=LOG_LINES)
    app = web.Application(middlewares=[lighter_errors], client_max_size=64 * 1024 * 1024)
    # devlivy's sessions and drivers; Lighter's schedules (sessions.py) replace Livy's idle, heartbeat
    # and retention checks, so the manager's own are not started.
    manager = SessionManager(config)
    sessions = LighterSessions(manager, config)
    app["manager"] = manager
    app["lighter"] = sessions
    app["config"] = config
    app.add_routes(routes)

    async def start_checks(app: web.Application) -> None:
        sessions.start_background_checks()

    async def stop_sessions(app: web.Application) -> None:
        log.info("stopping %d session(s)", len(manager.sessions))
        await sessions.shutdown()

    app.on_startup.append(start_checks)
    app.on_shutdown.append(stop_sessions)
    return app
