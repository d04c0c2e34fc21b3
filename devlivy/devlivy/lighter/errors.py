"""Lighter's error bodies (rest/exceptions/ApiErrorResponseProcessor.java and ErrorResponse.java).

Every error is {"message": <the HTTP reason phrase>, "path": <the request URI>, "errors": [...]}.
Each entry of `errors` is a Micronaut `Error` (io.micronaut.http.server.exceptions.response.Error):
its `message`, and the interface's `path` and `title`, empty Optionals that Jackson (inclusion
ALWAYS) writes as null; Lighter's DetailedError adds `details`. How Micronaut words its own errors
(e.g. "Page Not Found" for a route that returns nothing, RouteExecutor.notFoundErrorResponse) comes
from Micronaut 4; the wording of body-binding errors is approximated.
"""

import json
import logging
from http import HTTPStatus

from aiohttp import web

from ..http_errors import LivyError

log = logging.getLogger(__name__)


class LighterError(Exception):
    def __init__(self, status: int, *errors: dict):
        super().__init__(errors)
        self.status = status
        self.errors = list(errors)


def error(message: str, **details) -> dict:
    entry = {"message": message}
    if details:
        entry["details"] = details  # rest/exceptions/DetailedError.java
    entry.update({"path": None, "title": None})
    return entry


def not_found() -> LighterError:
    """A controller method that returns null or an empty Optional."""
    return LighterError(404, error("Page Not Found"))


def bad_request(message: str, **details) -> LighterError:
    return LighterError(400, error(message, **details))


def json_response(body, status: int = 200) -> web.Response:
    return web.Response(text=json.dumps(body), status=status, content_type="application/json")


def error_response(request: web.Request, status: int, errors: list[dict]) -> web.Response:
    if request.method == "HEAD":
        return web.Response(status=status)
    body = {"message": HTTPStatus(status).phrase, "path": request.raw_path, "errors": errors}
    return json_response(body, status)


@web.middleware
async def lighter_errors(request: web.Request, handler):
    try:
        return await handler(request)
    except LighterError as exc:
        return error_response(request, exc.status, exc.errors)
    except web.HTTPNotFound:
        return error_response(request, 404, [error("Page Not Found")])
    except web.HTTPMethodNotAllowed as exc:
        allowed = ", ".join(sorted(m for m in exc.allowed_methods if m != "HEAD"))
        return error_response(request, 405, [error(
            f"Method [{request.method}] not allowed for URI [{request.path}]. Allowed methods: [{allowed}]")])
    except LivyError as exc:  # devlivy's own guard (sessions starting at once), not Lighter's
        text = exc.body["msg"] if isinstance(exc.body, dict) else str(exc.body)
        return error_response(request, exc.status, [error(text)])
    except web.HTTPException:
        raise
    except Exception as exc:
        log.exception("%s %s failed", request.method, request.path)
        return error_response(request, 500, [error(f"Internal Server Error: {exc}")])
