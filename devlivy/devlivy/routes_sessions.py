"""Session endpoints: /sessions, /sessions/{id}, /state, /log (docs/livy-rest.md §2.1-§2.6)."""

from aiohttp import web

from .http_errors import json_response, msg
from .query import int_query
from .request_bodies import parse_create
from .session_request import build_request

routes = web.RouteTableDef()


def _int_param(request: web.Request, name: str, default: int | None) -> int | None:
    # Livy: NumberFormatException is an IllegalArgumentException -> 400.
    return int_query(request, name, default, lambda value: msg(400, f'For input string: "{value}"'))


@routes.post("/sessions")
async def create_session(request: web.Request) -> web.Response:
    body = parse_create(await request.read(), request.app["manager"].config.livy_version)
    session_request = build_request(body)
    _impersonate(request, session_request)
    session = await request.app["manager"].create(session_request)
    return json_response(session.to_json(), 201, headers={"Location": f"/sessions/{session.id}"})


def _impersonate(request: web.Request, session_request) -> None:
    """Livy with impersonation on (AccessManager.checkImpersonation): the session runs as the
    requested proxyUser, else as the authenticated user; asking for someone else is allowed to
    superusers only (403)."""
    config = request.app["manager"].config
    user = request.headers.get(config.remote_user_header) if config.remote_user_header else None
    if not user:
        return
    wanted = session_request.proxy_user
    if wanted is not None and wanted != user and user not in config.superusers:
        raise msg(403, f"User '{user}' not allowed to impersonate '{wanted}'.")
    session_request.owner = user
    session_request.proxy_user = wanted or user


@routes.get("/sessions")
async def list_sessions(request: web.Request) -> web.Response:
    start = _int_param(request, "from", 0)
    size = _int_param(request, "size", 100)
    sessions = request.app["manager"].ordered()
    page = sessions[start:start + size] if size >= 0 else sessions[start:]
    return json_response({"from": start, "total": len(sessions), "sessions": [s.to_json() for s in page]})


@routes.get("/sessions/{session}")
async def get_session(request: web.Request) -> web.Response:
    return json_response(_session(request).to_json())


@routes.get("/sessions/{session}/state")
async def get_state(request: web.Request) -> web.Response:
    return json_response(_session(request).state_json())


@routes.get("/sessions/{session}/log")
async def get_log(request: web.Request) -> web.Response:
    session = _session(request)
    start, total, lines = session.log.page(_int_param(request, "from", None), _int_param(request, "size", 100))
    return json_response({"id": session.id, "from": start, "total": total, "log": lines})


@routes.delete("/sessions/{session}")
async def delete_session(request: web.Request) -> web.Response:
    await request.app["manager"].delete(_session(request))
    return json_response({"msg": "deleted"})


@routes.get("/version")
async def version(request: web.Request) -> web.Response:
    from . import __version__

    livy_version = request.app["manager"].config.livy_version
    return json_response({"version": f"{livy_version}.0-devlivy-{__version__}", "user": None, "revision": None,
                          "branch": None, "date": None, "url": None})


@routes.get("/")
async def root(request: web.Request) -> web.Response:
    raise web.HTTPFound("/ui/")


def _session(request: web.Request):
    return request.app["manager"].get(request.match_info["session"])

