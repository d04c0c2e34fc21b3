"""Cross-cutting request handling: error rendering, CSRF, Accept versions,
and heartbeats (any request that addresses /sessions/{id}... counts)."""

import logging
import re

from aiohttp import web

from .http_errors import LivyError, json_response

log = logging.getLogger(__name__)

_SESSION_PATH = re.compile(r"^/sessions/([^/]+)")
_LIVY_MEDIA_TYPE = re.compile(r"application/vnd\.livy\.(v[^+;,\s]*)")
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@web.middleware
async def livy_errors(request: web.Request, handler):
    try:
        return await handler(request)
    except LivyError as error:
        return error.response()
    except web.HTTPException:
        raise
    except Exception as exc:
        # Livy renders unexpected exceptions as a bare JSON string, 500.
        log.exception("%s %s failed", request.method, request.path)
        return json_response(f"{type(exc).__name__}: {exc}", 500)


@web.middleware
async def accept_version(request: web.Request, handler):
    match = _LIVY_MEDIA_TYPE.search(request.headers.get("Accept", ""))
    if match and match.group(1) != "v0.1":
        return web.Response(status=406)
    return await handler(request)


def csrf_check(enabled: bool):
    @web.middleware
    async def csrf(request: web.Request, handler):
        # livy.server.csrf-protection.enabled: any value of the header passes.
        if enabled and request.method not in _SAFE_METHODS and "X-Requested-By" not in request.headers:
            return web.Response(
                status=400, content_type="text/html",
                text="<html><body><h2>HTTP ERROR 400</h2><p>Missing Required Header for CSRF protection.</p></body></html>",
            )
        return await handler(request)

    return csrf


@web.middleware
async def heartbeat(request: web.Request, handler):
    match = _SESSION_PATH.match(request.path)
    if match:
        session = request.app["manager"].find(match.group(1))
        if session is not None:
            session.touch_heartbeat()
    return await handler(request)
